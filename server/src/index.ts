/**
 * The reference server as a library: build a Fastify instance over a store, create tenants. The `audit-trail`
 * command (bin/audit-trail.js → cli/main.ts) is the usual way in.
 *
 * @packageDocumentation
 */
export { buildServer, REDACTED_LOG_PATHS } from './app.js';
export type { ServerOptions } from './app.js';
export { createTenant, seedTenant } from './tenants.js';
export type { TenantSpec } from './tenants.js';
export { DATABASE_FILE, databasePath, openSqliteStore } from './store/sqlite-store.js';
