/**
 * PostgreSQL for tests: a fresh database per caller in the server jest's global setup started
 * (test/helpers/postgres/global-setup.mjs), dropped afterwards. Never a mock: the real server.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The storage backends every shared suite runs on. */
export const BACKENDS = ['sqlite', 'postgres'] as const;
export type Backend = (typeof BACKENDS)[number];

/** A database of its own. */
export interface TestDatabase {
  /** `postgres://...` of this database. */
  url: string;
  /** Drops the database (closing whatever is still connected to it). */
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env['AUDIT_TRAIL_TEST_POSTGRES_URL'];
  if (!url) {
    throw new Error(
      'AUDIT_TRAIL_TEST_POSTGRES_URL is not set: run the tests through jest (its global setup starts PostgreSQL), ' +
        'or point it at a throwaway PostgreSQL superuser URL',
    );
  }
  return url;
}

async function asAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `audit_trail_test_${randomBytes(6).toString('hex')}`;
  await asAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      await asAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
