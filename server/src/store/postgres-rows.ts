/** What the PostgreSQL repositories share: the connection type they query through and row reading. */
import type { Pool, PoolClient } from 'pg';

/** The pool (one statement, any connection) or one connection (inside a transaction). */
export type Queryable = Pool | PoolClient;

/** A result row, by column name. */
export type PgRow = Record<string, unknown>;

export { nullableText } from './records.js';
