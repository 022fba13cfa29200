/**
 * The canonical form of an entry (contract `canonicalEntry`, RFC 8785) built straight from its stored column
 * values, for the full pass: no entry object, no generic canonicaliser over the fixed fields. The hashed fields
 * of each version are known, so their JCS order is written out once here; only `details` (any JSON) and
 * `actorRoles` are parsed, and serialised natively wherever their keys are already in order. A property test
 * (server/test/row-canonical.property.test.ts) checks it byte for byte against the contract's `canonicalEntry`.
 *
 * The ledger uses the same writer for the entries it stores ({@link canonicalFromEntry}): details and roles given
 * as values there, parsed JSON already (contract `serializeEntry` validated them).
 *
 * JCS orders keys by UTF-16 code units: action < actorDisplayName < actorId < actorRoles < applicationId < details
 * < entityId < entityType < hashVersion < id < idempotencyKey < ip < occurredAt < sequence < timestamp.
 */

/** The stored values the hash covers; `details` and `actorRoles` as their stored JSON text. */
export interface HashedColumns {
  id: string;
  applicationId: string;
  sequence: number;
  timestamp: string;
  actorId: string;
  action: string;
  /** JSON text, `null` when absent. */
  details: string | null;
  actorDisplayName: string | null;
  /** JSON text of the array, `null` when absent. */
  actorRoles: string | null;
  entityType: string | null;
  entityId: string | null;
  occurredAt: string | null;
  ip: string | null;
  idempotencyKey: string | null;
  /** 1 or 2 (the caller checks the version first). */
  hashVersion: number;
}

const text = JSON.stringify;

/**
 * Whether every object in a parsed JSON value already lists its keys in JCS order (UTF-16 code units, which is what
 * `<` compares). Then `JSON.stringify` (native) writes exactly the RFC 8785 form: JCS serialises strings and numbers
 * as `JSON.stringify` does, and only reorders keys. The ledger stores details as the caller sent them, often sorted.
 */
function keysInJcsOrder(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    for (const item of value) if (!keysInJcsOrder(item)) return false;
    return true;
  }
  let previous: string | undefined;
  for (const key in value) {
    // Object.keys order: integer-like keys come first, ascending by number, which need not be JCS order.
    if (previous !== undefined && !(previous < key)) return false;
    if (!keysInJcsOrder((value as Record<string, unknown>)[key])) return false;
    previous = key;
  }
  return true;
}

/**
 * RFC 8785 form of a value parsed from JSON text (so: no `undefined`, no `toJSON`, finite numbers). Subtrees whose
 * keys are already in JCS order go to the native `JSON.stringify` whole; only objects out of order are rewritten,
 * keys sorted by UTF-16 code units (`Array.prototype.sort`'s default order, the order JCS specifies).
 */
function canonicalValue(value: unknown): string {
  if (value === null || typeof value !== 'object' || keysInJcsOrder(value)) return text(value);
  if (Array.isArray(value)) return `[${value.map(canonicalValue).join(',')}]`;
  const object = value as Record<string, unknown>;
  let out = '';
  for (const key of Object.keys(object).sort()) out += `${out === '' ? '' : ','}${text(key)}:${canonicalValue(object[key])}`;
  return `{${out}}`;
}

/** Canonical JSON of a stored JSON text value, or `undefined` when it holds `null` (left out, like an absent field). */
function canonicalJson(stored: string | null): string | undefined {
  if (stored === null) return undefined;
  const value: unknown = JSON.parse(stored);
  return value === null ? undefined : canonicalValue(value);
}

/** `canonicalEntry` of the entry these columns hold, for hash versions 1 and 2. */
export function canonicalFromColumns(c: HashedColumns): string {
  return canonicalWith(c, canonicalJson(c.details), canonicalJson(c.actorRoles));
}

/** The hashed fields but the two JSON ones, which {@link canonicalWith} is given in canonical form. */
type ScalarHashedFields = Omit<HashedColumns, 'details' | 'actorRoles'>;

/**
 * A fresh entry's hashed fields, details and roles as values (what the ledger stores): `null` or `undefined` when
 * absent, otherwise JSON data as `JSON.parse` makes it (contract `serializeEntry` has checked it is I-JSON sound).
 */
export interface HashedValues extends ScalarHashedFields {
  details: unknown;
  actorRoles: readonly string[] | null;
}

/**
 * `canonicalEntry` of an entry given as values (the ledger's, before it is stored), for hash versions 1 and 2:
 * the same writer as {@link canonicalFromColumns}, without parsing anything (server/test/row-canonical.property.test.ts).
 */
export function canonicalFromEntry(e: HashedValues): string {
  const details = e.details === null || e.details === undefined ? undefined : canonicalValue(e.details);
  const roles = e.actorRoles === null ? undefined : canonicalValue(e.actorRoles);
  return canonicalWith(e, details, roles);
}

/** The canonical form, `details`/`roles` already canonical (`undefined`: left out, as absent or `null`). */
function canonicalWith(c: ScalarHashedFields, details: string | undefined, roles: string | undefined): string {
  const v2 = c.hashVersion === 2;
  let out = `{"action":${text(c.action)}`;
  if (c.actorDisplayName !== null) out += `,"actorDisplayName":${text(c.actorDisplayName)}`;
  out += `,"actorId":${text(c.actorId)}`;
  if (roles !== undefined) out += `,"actorRoles":${roles}`;
  out += `,"applicationId":${text(c.applicationId)}`;
  if (details !== undefined) out += `,"details":${details}`;
  if (c.entityId !== null) out += `,"entityId":${text(c.entityId)}`;
  if (c.entityType !== null) out += `,"entityType":${text(c.entityType)}`;
  if (v2) out += ',"hashVersion":2';
  out += `,"id":${text(c.id)}`;
  if (v2 && c.idempotencyKey !== null) out += `,"idempotencyKey":${text(c.idempotencyKey)}`;
  if (c.ip !== null) out += `,"ip":${text(c.ip)}`;
  if (c.occurredAt !== null) out += `,"occurredAt":${text(c.occurredAt)}`;
  if (v2) out += `,"sequence":${c.sequence}`;
  return `${out},"timestamp":${text(c.timestamp)}}`;
}
