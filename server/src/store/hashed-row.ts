/** The full pass's reused row object, shared by the engines' `EntryRepository.visitHashedRows`. */
import type { HashedRow } from './repositories.js';

/** A fresh row object (every field present from the start, so V8 keeps one shape while it is refilled). */
export const emptyHashedRow = (): HashedRow => ({
  id: '',
  applicationId: '',
  sequence: 0,
  timestamp: '',
  actorId: '',
  action: '',
  details: null,
  actorDisplayName: null,
  actorRoles: null,
  entityType: null,
  entityId: null,
  occurredAt: null,
  ip: null,
  idempotencyKey: null,
  previousHash: '',
  hash: '',
  standaloneHash: '',
  hashVersion: 0,
});
