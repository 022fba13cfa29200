/** How a caller's {@link Entry} maps to the fields of a {@link StoredEntry}. No TypeBox: safe on the hot path. */
import type { Entry, StoredEntry } from './schemas.js';

/** The fields of a {@link StoredEntry} that come from the caller's {@link Entry}. */
export type EntryFields = Pick<
  StoredEntry,
  'actorId' | 'action' | 'details' | 'actorDisplayName' | 'actorRoles' | 'entityType' | 'entityId' | 'occurredAt' | 'ip' | 'idempotencyKey'
>;

/** The caller's fields of an entry as a {@link StoredEntry} carries them: absent optional fields become `null`. */
export function entryFields(entry: Entry): EntryFields {
  return {
    actorId: entry.actorId,
    action: entry.action,
    details: entry.details ?? null,
    actorDisplayName: entry.actorDisplayName ?? null,
    actorRoles: entry.actorRoles ?? null,
    entityType: entry.entityType ?? null,
    entityId: entry.entityId ?? null,
    occurredAt: entry.occurredAt ?? null,
    ip: entry.ip ?? null,
    idempotencyKey: entry.idempotencyKey ?? null,
  };
}
