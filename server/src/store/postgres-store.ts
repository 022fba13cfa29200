/**
 * Opens the PostgreSQL store (`AUDIT_TRAIL_DATABASE_URL=postgres://...`): a connection pool, the schema migrated on
 * start. Any number of server processes may share one database: appends to one application are serialised by the
 * row lock `head()` takes inside {@link Store.transaction}, so the chain never forks.
 */
import pg from 'pg';
import { migrate } from './postgres-schema.js';
import { PostgresEntryRepository } from './postgres-entries-repository.js';
import { PostgresHookRepository } from './postgres-hooks-repository.js';
import { PostgresSettingsRepository } from './postgres-settings-repository.js';
import { PostgresTenantRepository } from './postgres-tenants-repository.js';
import { PostgresTreeRepository } from './postgres-tree-repository.js';
import { PostgresVerificationRepository } from './postgres-verification-repository.js';
import type { Queryable } from './postgres-rows.js';
import type { Repositories, Store } from './repositories.js';

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  /** Connections in the pool. @default 10 */
  maxConnections?: number;
  /** Told about a connection the pool lost while idle (the pool replaces it). */
  onIdleError?: (error: Error) => void;
}

/** Whether a database URL names PostgreSQL. */
export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//i.test(url);

/** The URL without its password, for logs. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

function repositoriesOn(db: Queryable, inTransaction: boolean): Repositories & { entries: PostgresEntryRepository } {
  return {
    tenants: new PostgresTenantRepository(db),
    entries: new PostgresEntryRepository(db, inTransaction),
    tree: new PostgresTreeRepository(db),
    hooks: new PostgresHookRepository(db),
    verification: new PostgresVerificationRepository(db),
  };
}

/** Connects to PostgreSQL at `url`, creates or upgrades the schema, and returns the store. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10 });
  // An idle connection that breaks (database restart) is reported here; without a listener it would crash us.
  pool.on('error', (error) => options.onIdleError?.(error));
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  let open = true;
  return {
    ...repositoriesOn(pool, false),
    settings: new PostgresSettingsRepository(pool),
    readerSource: { engine: 'postgres', connectionString: url },
    async transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      // While checked out, a connection the database drops (restart, admin command) emits 'error' on the client:
      // without a listener that would crash the process; the query in flight rejects and the append fails instead.
      const onError = (error: Error) => {
        broken = error;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        try {
          const tx = repositoriesOn(client, true);
          const result = await work(tx);
          // Inserts the entries repository held back are written before COMMIT, whatever work() called last.
          await tx.entries.flush();
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch((rollbackError: Error) => {
            broken = rollbackError;
          });
          throw error;
        }
      } finally {
        // A connection whose ROLLBACK failed is in an unknown state: the pool drops it instead of reusing it.
        client.off('error', onError);
        client.release(broken);
      }
    },
    location: redactDatabaseUrl(url),
    async close(): Promise<void> {
      if (!open) return;
      open = false;
      await pool.end();
    },
  };
}
