/**
 * An entry row as both engines read it for the hot paths: its column values as an array, in {@link ENTRY_COLUMNS}
 * order (node:sqlite `setReturnArrays`, pg `rowMode: 'array'`), with no object per row. From such a row:
 * - {@link entryFromValues}: the `StoredEntry`;
 * - {@link entryJson}: its JSON text, byte for byte `JSON.stringify(entryFromValues(values))` for every row the
 *   stores write, made straight from the column values: the stored `details`/`actorRoles` JSON text is spliced
 *   in instead of being parsed into objects and serialised again (the list route's 1000-entry pages);
 * - {@link fillHashedRow}: the full pass's reused row (verification/row-canonical.ts).
 */
import type { StoredEntry } from '@audit-trail/sdk/contract';
import type { HashedRow } from './repositories.js';

/** The entry columns, in the order of the values arrays. */
export const ENTRY_COLUMNS = [
  'id',
  'application_id',
  'sequence',
  'timestamp',
  'actor_id',
  'action',
  'details',
  'actor_display_name',
  'actor_roles',
  'entity_type',
  'entity_id',
  'occurred_at',
  'ip',
  'idempotency_key',
  'previous_hash',
  'hash',
  'standalone_hash',
  'hash_version',
] as const;

/**
 * `ENTRY_COLUMNS` as a select list over the entries table, which stores the application's integer key `app`
 * (applications.position), not its public id: the `application_id` column is the statement parameter
 * `publicId` names (SQLite `?1`, PostgreSQL `$1::text`), the public id the rows were asked for by, and the WHERE
 * clause scopes the rows with {@link appOf} of that same parameter.
 */
export const entrySelectList = (publicId: string): string =>
  ENTRY_COLUMNS.map((column) => (column === 'application_id' ? `${publicId} AS application_id` : column)).join(', ');

/** The integer key of the application whose public id is the parameter `publicId` (one index lookup per statement). */
export const appOf = (publicId: string): string => `(SELECT position FROM applications WHERE id = ${publicId})`;

/** The stored columns, in ENTRY_COLUMNS order with `app` in place of `application_id` (the insert's column list). */
export const STORED_ENTRY_COLUMN_LIST = ENTRY_COLUMNS.map((column) => (column === 'application_id' ? 'app' : column)).join(', ');

/** One row's column values, in {@link ENTRY_COLUMNS} order. */
export type EntryValues = readonly unknown[];

const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

/** The stored entry of a row. */
export function entryFromValues(values: EntryValues): StoredEntry {
  const details = text(values[6]);
  const roles = text(values[8]);
  return {
    id: String(values[0]),
    applicationId: String(values[1]),
    sequence: Number(values[2]),
    timestamp: String(values[3]),
    actorId: String(values[4]),
    action: String(values[5]),
    details: details === null ? null : (JSON.parse(details) as StoredEntry['details']),
    actorDisplayName: text(values[7]),
    actorRoles: roles === null ? null : (JSON.parse(roles) as string[]),
    entityType: text(values[9]),
    entityId: text(values[10]),
    occurredAt: text(values[11]),
    ip: text(values[12]),
    idempotencyKey: text(values[13]),
    previousHash: String(values[14]),
    hash: String(values[15]),
    standaloneHash: String(values[16]),
    // As stored: verification fails an entry whose version it does not know, instead of assuming one.
    hashVersion: Number(values[17]),
  };
}

const quote = (value: unknown): string => JSON.stringify(String(value));
const nullableQuote = (value: unknown): string => (value === null || value === undefined ? 'null' : JSON.stringify(String(value)));

/**
 * A stored JSON text column as JSON text: the stored text itself, which is what `JSON.stringify` wrote when the
 * entry was stored (both stores write it so), hence byte for byte what parsing and serialising it again would
 * give. It is still parsed (native, about a microsecond) so that a row edited by hand into something that is not
 * JSON fails the request as the object route would, instead of sending a malformed page; a hand edit that is
 * still JSON is sent as stored (verification reports the edit).
 */
function jsonColumn(stored: unknown): string {
  if (stored === null || stored === undefined) return 'null';
  const source = String(stored);
  JSON.parse(source);
  return source;
}

/** The JSON text of the stored entry of a row: byte for byte `JSON.stringify(entryFromValues(values))`. */
export function entryJson(values: EntryValues): string {
  return (
    `{"id":${quote(values[0])},"applicationId":${quote(values[1])},"sequence":${Number(values[2])},"timestamp":${quote(values[3])}` +
    `,"actorId":${quote(values[4])},"action":${quote(values[5])},"details":${jsonColumn(values[6])}` +
    `,"actorDisplayName":${nullableQuote(values[7])},"actorRoles":${jsonColumn(values[8])},"entityType":${nullableQuote(values[9])}` +
    `,"entityId":${nullableQuote(values[10])},"occurredAt":${nullableQuote(values[11])},"ip":${nullableQuote(values[12])}` +
    `,"idempotencyKey":${nullableQuote(values[13])},"previousHash":${quote(values[14])},"hash":${quote(values[15])}` +
    `,"standaloneHash":${quote(values[16])},"hashVersion":${Number(values[17])}}`
  );
}

/** Copies a row's values into the full pass's reused row object. */
export function fillHashedRow(row: HashedRow, values: EntryValues): void {
  row.id = values[0] as string;
  row.applicationId = values[1] as string;
  row.sequence = Number(values[2]);
  row.timestamp = values[3] as string;
  row.actorId = values[4] as string;
  row.action = values[5] as string;
  row.details = values[6] as string | null;
  row.actorDisplayName = values[7] as string | null;
  row.actorRoles = values[8] as string | null;
  row.entityType = values[9] as string | null;
  row.entityId = values[10] as string | null;
  row.occurredAt = values[11] as string | null;
  row.ip = values[12] as string | null;
  row.idempotencyKey = values[13] as string | null;
  row.previousHash = values[14] as string;
  row.hash = values[15] as string;
  row.standaloneHash = values[16] as string;
  row.hashVersion = Number(values[17]);
}
