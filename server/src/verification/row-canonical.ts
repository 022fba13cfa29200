/**
 * The canonical form of an entry (contract `canonicalEntry`, RFC 8785) built straight from its stored column
 * values, for the full pass: no entry object, no generic canonicaliser over the fixed fields. The hashed fields
 * of each version are known, so their JCS order is written out once here; only `details` (any JSON) and
 * `actorRoles` go through the generic canonicaliser. A property test checks it against `canonicalEntry`.
 *
 * JCS orders keys by UTF-16 code units: action < actorDisplayName < actorId < actorRoles < applicationId < details
 * < entityId < entityType < hashVersion < id < idempotencyKey < ip < occurredAt < sequence < timestamp.
 */
import canonicalize from 'canonicalize';

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

/** Canonical JSON of a stored JSON text value, or `undefined` when it holds `null` (left out, like an absent field). */
function canonicalJson(stored: string | null): string | undefined {
  if (stored === null) return undefined;
  const value: unknown = JSON.parse(stored);
  if (value === null) return undefined;
  return typeof value === 'string' ? text(value) : (canonicalize(value) as string);
}

/** `canonicalEntry` of the entry these columns hold, for hash versions 1 and 2. */
export function canonicalFromColumns(c: HashedColumns): string {
  const v2 = c.hashVersion === 2;
  let out = `{"action":${text(c.action)}`;
  if (c.actorDisplayName !== null) out += `,"actorDisplayName":${text(c.actorDisplayName)}`;
  out += `,"actorId":${text(c.actorId)}`;
  const roles = canonicalJson(c.actorRoles);
  if (roles !== undefined) out += `,"actorRoles":${roles}`;
  out += `,"applicationId":${text(c.applicationId)}`;
  const details = canonicalJson(c.details);
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
