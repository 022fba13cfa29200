/** Where the API lives: paths, header names and their values. Plain data (no TypeBox), safe on the SDK's hot path. */

/** API paths. Path segments are URL-encoded with `encodeURIComponent`. */
export const PATHS = {
  /** `POST`: record one entry. */
  log: (actorId: string, action: string): string => `/api/log/${encodeURIComponent(actorId)}/${encodeURIComponent(action)}`,
  /** `POST`: record one entry about an entity. */
  logAboutEntity: (actorId: string, action: string, entityType: string, entityId: string): string =>
    `${PATHS.log(actorId, action)}/${encodeURIComponent(entityType)}/${encodeURIComponent(entityId)}`,
  /** `POST`: record many entries. */
  batch: '/api/log/batch',
  /** `GET`: list entries (newest first, filters, cursor). */
  entries: '/api/entries',
  /** `GET ?entryId=`: one entry (LogSentinel's path). */
  entryById: '/api/getEntryById',
  /** `GET`: verify the chain. */
  verifyChain: '/api/verification/chain',
  /** `GET`: the verified watermark and the breaks found (checks the entries added since the last call). */
  integrity: '/api/verification/integrity',
  /** `GET`: the signed head of the application's Merkle tree. */
  latestTreeHead: '/api/verification/merkle/latestTreeHead',
  /** `GET`: an inclusion proof of an entry in a tree size. */
  inclusionProof: '/api/verification/merkle/proofs/inclusion',
  /** `GET`: a consistency proof between two tree sizes. */
  consistencyProof: '/api/verification/merkle/proofs/consistency',
  /** `GET`: the origin and the verifier key of the application's checkpoints. */
  merkleInfo: '/api/verification/merkle/info',
  /** `GET`: check the credentials. */
  authCheck: '/api/auth/check',
  /** `GET`: the organization's applications. */
  applications: '/api/applications',
  /** `GET`: the distinct actions recently recorded. */
  actions: '/api/actions',
  /** `POST`: subscribe a webhook; `DELETE {hooks}/{id}`: unsubscribe. */
  hooks: '/api/hooks',
  /** `DELETE`: unsubscribe one webhook. */
  hook: (id: string): string => `/api/hooks/${encodeURIComponent(id)}`,
} as const;

/** Header names. HTTP header names are case-insensitive; the server reads them lower-cased. */
export const HEADERS = {
  authorization: 'Authorization',
  applicationId: 'Application-Id',
  idempotencyKey: 'Idempotency-Key',
  /** Percent-encoded UTF-8 (`encodeURIComponent`), because header values are Latin-1 on the wire. */
  actorDisplayName: 'Actor-Display-Name',
  /** Comma-separated, each role percent-encoded. */
  actorRoles: 'Actor-Roles',
  occurredAt: 'Occurred-At',
  ip: 'Actor-Ip',
  retryAfter: 'Retry-After',
  /** RFC 7240: `return=minimal` on a batch asks for a {@link BatchSummary}. */
  prefer: 'Prefer',
  /** RFC 7240: the service's confirmation that it applied the preference. */
  preferenceApplied: 'Preference-Applied',
} as const;

/**
 * `Prefer` value (RFC 7240) asking `POST /api/log/batch` for a {@link BatchSummary} instead of a receipt per entry.
 * The service confirms with `Preference-Applied: return=minimal`; without it the reply is a full {@link BatchResponse}.
 */
export const PREFER_MINIMAL = 'return=minimal';
