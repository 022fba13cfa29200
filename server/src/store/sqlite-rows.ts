/** Reading `node:sqlite` result rows, shared by the repositories. */
import type { SQLInputValue } from 'node:sqlite';

/** A result row, by column name. */
export type Row = Record<string, SQLInputValue>;

export { nullableText } from './records.js';
