/** Reading `node:sqlite` result rows, shared by the repositories. */
import type { SQLInputValue } from 'node:sqlite';

/** A result row, by column name. */
export type Row = Record<string, SQLInputValue>;

/** A nullable TEXT column as `string | null`. */
export const nullableText = (value: SQLInputValue | undefined): string | null =>
  value === null || value === undefined ? null : String(value);
