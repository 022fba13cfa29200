/** Picks the engine: PostgreSQL when a `postgres://` URL is configured, else the embedded SQLite file. */
import { isPostgresUrl, openPostgresStore } from './postgres-store.js';
import type { Store } from './repositories.js';
import { openSqliteStore } from './sqlite-store.js';

/** Where to store. */
export interface StoreLocation {
  /** `postgres://user:password@host:port/database`; when set, wins over `dataDir`. */
  databaseUrl?: string;
  /** Directory of the SQLite database. */
  dataDir?: string;
  /** Told about an idle PostgreSQL connection the pool lost (it reconnects by itself). */
  onIdleError?: (error: Error) => void;
}

/** Opens the store `location` names. */
export async function openStore(location: StoreLocation): Promise<Store> {
  if (location.databaseUrl !== undefined && location.databaseUrl !== '') {
    if (!isPostgresUrl(location.databaseUrl)) {
      throw new TypeError('The database URL must start with postgres:// or postgresql:// (SQLite needs no URL: it uses the data directory)');
    }
    return openPostgresStore(location.databaseUrl, location.onIdleError ? { onIdleError: location.onIdleError } : {});
  }
  if (location.dataDir === undefined) throw new TypeError('Give a data directory (SQLite) or a postgres:// database URL');
  return openSqliteStore(location.dataDir);
}
