/**
 * Limits of the wire contract, enforced by the SDK before sending and by the server on receipt. Plain data (no
 * TypeBox), so that the SDK's hot path can import them without loading the schema library.
 */

/** Limits enforced by the SDK before sending and by the server on receipt. */
export const LIMITS = {
  /** Maximum length of `actorId`, in characters. */
  actorId: 256,
  /** Maximum length of `action`, in characters. */
  action: 128,
  /** Maximum length of `actorDisplayName`, in characters. */
  actorDisplayName: 256,
  /** Maximum number of `actorRoles`. */
  actorRoles: 32,
  /** Maximum length of one role, in characters. */
  actorRole: 64,
  /** Maximum length of `entityType`, in characters. */
  entityType: 128,
  /** Maximum length of `entityId`, in characters. */
  entityId: 256,
  /** Maximum length of `idempotencyKey`, in characters. */
  idempotencyKey: 128,
  /** Maximum size of the serialised details, in UTF-8 bytes. */
  detailsBytes: 64 * 1024,
  /** Maximum number of entries in one batch request. */
  batchEntries: 500,
  /** Maximum size of a request body (one entry or one batch), in bytes. */
  bodyBytes: 1024 * 1024,
  /** Maximum page size of the list endpoint. */
  pageSize: 1000,
  /** Maximum number of breaks one verification or integrity status lists. */
  integrityBreaks: 100,
} as const;

/** ISO-8601 date-time with an explicit offset, e.g. `2026-01-31T12:00:00.000Z` (a real calendar date is checked too). */
export const ISO_DATE_TIME = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$';
