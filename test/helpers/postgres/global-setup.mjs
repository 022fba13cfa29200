/**
 * Jest global setup: one real PostgreSQL for the whole run (each test file then creates its own database, see
 * server/test/support/postgres.ts). AUDIT_TRAIL_TEST_POSTGRES_URL set beforehand (a superuser URL of a throwaway
 * server) is used instead, e.g. Debian's `postgresql` where the embedded binaries cannot run.
 */
import { startEmbeddedPostgres } from './embedded-postgres.mjs';

export default async function globalSetup() {
  if (process.env.AUDIT_TRAIL_TEST_POSTGRES_URL) return;
  const server = await startEmbeddedPostgres({ fast: true });
  globalThis.__auditTrailPostgres = server;
  // Workers start after this and inherit the environment.
  process.env.AUDIT_TRAIL_TEST_POSTGRES_URL = server.url;
}
