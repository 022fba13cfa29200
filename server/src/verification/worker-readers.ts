/**
 * Opening a read connection of its own inside the verification worker, per engine ({@link ReaderSource}): the
 * worker never shares the server's connection, so a full pass neither waits for nor blocks the server's queries.
 * An engine added to the store adds its opener here.
 */
import { sqlite } from '../store/sqlite-module.js';
import { SqliteEntryRepository } from '../store/sqlite-entries-repository.js';
import type { ReaderSource } from '../store/repositories.js';
import type { ChainReader } from './verify-range.js';

/** A reader and how to close its connection. */
export interface OpenedReader {
  reader: ChainReader;
  close(): Promise<void>;
}

/** Opens a read connection for `source`. */
export async function openWorkerReader(source: ReaderSource): Promise<OpenedReader> {
  switch (source.engine) {
    case 'sqlite': {
      // Read-only: WAL lets it read a consistent snapshot while the server keeps writing.
      const db = new sqlite.DatabaseSync(source.path, { readOnly: true });
      db.exec('PRAGMA busy_timeout = 5000;');
      return { reader: new SqliteEntryRepository(db), close: async () => db.close() };
    }
    case 'postgres': {
      // Loaded here, not at the top: a SQLite server's workers never pay for loading pg (tens of ms per worker).
      const { default: pg } = await import('pg');
      const { PostgresEntryRepository } = await import('../store/postgres-entries-repository.js');
      // One connection of its own, read-only: a full pass never takes a connection from the server's pool.
      const pool = new pg.Pool({ connectionString: source.connectionString, max: 1 });
      pool.on('connect', (client) => void client.query('SET default_transaction_read_only = on'));
      return { reader: new PostgresEntryRepository(pool, false), close: () => pool.end() };
    }
  }
}
