/**
 * Opening a read connection of its own inside the verification worker, per engine ({@link ReaderSource}): the
 * worker never shares the server's connection, so a full pass neither waits for nor blocks the server's queries.
 * An engine added to the store adds its opener here (PostgreSQL: a one-connection pool from its connection string,
 * with its entries repository on it).
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
    default:
      throw new Error(`the verification worker cannot open a ${source.engine} store yet (add its opener in worker-readers.ts)`);
  }
}
