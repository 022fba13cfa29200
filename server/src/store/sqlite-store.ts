/** Opens the embedded SQLite store: `<dataDir>/audit-trail.db`, WAL mode, schema created on first open. */
import { join } from 'node:path';
import { ensurePrivateDirectory, ensurePrivateFile } from './private-files.js';
import { sqlite } from './sqlite-module.js';
import { ADDED_COLUMNS, FILL_HOOK_SECRETS_SQL, SCHEMA_SQL, rekeyEntries, upgradeSqliteSchema } from './sqlite-schema.js';
import { SqliteEntryRepository } from './sqlite-entries-repository.js';
import { startCheckpointer } from './sqlite-checkpointer.js';
import { SqliteHookRepository } from './sqlite-hooks-repository.js';
import { SqliteTenantRepository } from './sqlite-tenants-repository.js';
import { SqliteTreeRepository } from './sqlite-tree-repository.js';
import { SqliteVerificationRepository } from './sqlite-verification-repository.js';
import type { Repositories, Store } from './repositories.js';

/** File name of the database inside the data directory. */
export const DATABASE_FILE = 'audit-trail.db';

/** The database path for a data directory. */
export function databasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}

/** WAL pages after which the server's own connection checkpoints (SQLite's default is 1,000). */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 16_384;

/** Opens (creating when needed) the SQLite store in `dataDir`. */
export function openSqliteStore(dataDir: string): Store {
  ensurePrivateDirectory(dataDir);
  const location = databasePath(dataDir);
  // Before SQLite creates it: the -wal and -shm files take the database file's mode.
  ensurePrivateFile(location);
  const db = new sqlite.DatabaseSync(location, { enableForeignKeyConstraints: true });
  // WAL lets readers (list, verify) run while a batch is being written; NORMAL sync is durable across process
  // crashes in WAL mode and much faster than FULL. busy_timeout covers a second process (e.g. a CLI) on the file.
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
  // Checkpoints run in a worker thread (sqlite-checkpointer.ts), not inside an append's COMMIT: this connection
  // checkpoints by itself only if the WAL passes 64 MB (16,384 pages of 4 KiB), should the worker fall behind.
  db.exec(`PRAGMA wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES};`);
  rekeyEntries(db);
  db.exec(SCHEMA_SQL);
  for (const { table, column, definition } of ADDED_COLUMNS) {
    const columns = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
    if (!columns.some((existing) => existing.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
  }
  upgradeSqliteSchema(db);
  db.exec(FILL_HOOK_SECRETS_SQL);
  const checkpointer = startCheckpointer(location);
  let open = true;
  const entries = new SqliteEntryRepository(db);
  const tenants = new SqliteTenantRepository(db);
  const repositories: Repositories = {
    tenants,
    entries,
    tree: new SqliteTreeRepository(db),
    hooks: new SqliteHookRepository(db),
    verification: new SqliteVerificationRepository(db),
  };
  // One connection: transactions take turns. The repositories never wait on anything but SQLite, so a
  // transaction's body runs in one go and no other request's statement can land inside it.
  let turn: Promise<unknown> = Promise.resolve();
  const runTransaction = async <T>(work: (tx: Repositories) => Promise<T>): Promise<T> => {
    const tenantChanges = tenants.changes;
    db.exec('BEGIN IMMEDIATE');
    try {
      const result = await work(repositories);
      db.exec('COMMIT');
      return result;
    } catch (error) {
      db.exec('ROLLBACK');
      entries.discardPending();
      throw error;
    } finally {
      // A read between the transaction's statements sees its uncommitted tenants: whatever a cache took from
      // them is dropped once it commits or rolls back.
      if (tenants.changes !== tenantChanges) tenants.noteChange();
    }
  };
  return {
    ...repositories,
    transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T> {
      const result = turn.then(() => runTransaction(work));
      turn = result.catch(() => undefined);
      return result;
    },
    location,
    readerSource: { engine: 'sqlite', path: location },
    async close(): Promise<void> {
      if (!open) return;
      open = false;
      await turn;
      await checkpointer.stop();
      db.close();
    },
  };
}
