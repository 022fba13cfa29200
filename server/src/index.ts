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
// The ledger and the Merkle tree, for embedding and for the bench (bench/suites/merkle.ts).
export { appendEntries } from './ledger.js';
export type { AppendOutcome, AppendResult } from './ledger.js';
export { CheckpointSigner } from './merkle/checkpoints.js';
export type { SignedTreeHead } from './merkle/checkpoints.js';
export { loadSigningKey, formatSigningKey } from './merkle/signing-key.js';
export { consistencyProof, inclusionProof, treeRoot, withNodes } from './merkle/tree.js';
export { readTreeHead } from './merkle/tree-store.js';
export type { TreeHead } from './merkle/tree-store.js';
export { openPostgresStore, isPostgresUrl } from './store/postgres-store.js';
export type { PostgresStoreOptions } from './store/postgres-store.js';
export { openStore } from './store/open-store.js';
export type { StoreLocation } from './store/open-store.js';
// The full verification pass in its worker thread, for the bench (bench/suites/verify.ts).
export { defaultVerificationThreads, verifyInWorker } from './verification/run-in-worker.js';
export type { ParallelOptions, VerifyJob } from './verification/run-in-worker.js';
