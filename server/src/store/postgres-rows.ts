/** What the PostgreSQL repositories share: the connection type they query through and row reading. */
import type { Pool, PoolClient } from 'pg';

/** The pool (one statement, any connection) or one connection (inside a transaction). */
export type Queryable = Pool | PoolClient;

/** A result row, by column name. */
export type PgRow = Record<string, unknown>;

/** A nullable TEXT column as `string | null`. */
export const nullableText = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
