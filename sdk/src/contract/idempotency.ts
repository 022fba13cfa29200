/**
 * What "the same entry" means for an idempotency key. A key names one entry: sending it again with the same entry
 * is a retry (the stored receipt and entry come back), with a different entry it is a conflict (409
 * `idempotency_conflict`), never a silent replay of something else.
 *
 * Two entries are the same when the canonical JSON (RFC 8785, the serialisation the hash uses) of the caller's
 * fields is byte-identical: `actorId`, `action`, `details`, `actorDisplayName`, `actorRoles`, `entityType`,
 * `entityId`, `occurredAt`, `ip`, `idempotencyKey`, absent and `null` fields left out. So key order inside
 * `details` and number spelling (`1.0` vs `1`) do not matter; anything else does, including the exact spelling of
 * `occurredAt` and the order of `actorRoles`. The fields the service adds (id, timestamp, sequence, hashes) are
 * not compared.
 */
import canonicalize from 'canonicalize';
import type { EntryFields } from './schemas.js';

/** The caller's fields compared by {@link sameCallerEntry}. */
export const IDEMPOTENCY_FIELDS = [
  'actorId',
  'action',
  'details',
  'actorDisplayName',
  'actorRoles',
  'entityType',
  'entityId',
  'occurredAt',
  'ip',
  'idempotencyKey',
] as const satisfies readonly (keyof EntryFields)[];

/** RFC 8785 canonical JSON of the caller's fields of an entry (absent and `null` left out). */
export function canonicalCallerEntry(fields: EntryFields): string {
  const picked: Record<string, unknown> = {};
  for (const field of IDEMPOTENCY_FIELDS) {
    const value = fields[field];
    if (value !== null && value !== undefined) picked[field] = value;
  }
  return canonicalize(picked) as string;
}

/** Is `candidate` the same entry as `stored`, in the sense of an idempotent retry? */
export function sameCallerEntry(stored: EntryFields, candidate: EntryFields): boolean {
  return canonicalCallerEntry(stored) === canonicalCallerEntry(candidate);
}
