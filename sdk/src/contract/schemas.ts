/**
 * The wire contract of the audit-trail API: paths, header names, the shapes that cross the wire, limits and
 * validation. This is the single source of truth: the SDK, the Zapier app, the reference server and the tests
 * all import it. No I/O happens here.
 *
 * Shape, following LogSentinel's API where it has one:
 * - `POST /api/log/{actorId}/{action}` (and `.../{entityType}/{entityId}`): the body is the entry's details
 *   (JSON object → `application/json`, text → `text/plain`), the optional metadata travel as headers.
 * - `POST /api/log/batch`: many entries as one JSON document, a result per entry.
 *
 * @packageDocumentation
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { ERROR_CODES } from './error-codes.js';
import { ISO_DATE_TIME, LIMITS } from './limits.js';

// Only TypeBox schemas and types are declared here: the build turns them into generated/schemas.ts, plain
// literals the SDK and the Zapier app load without TypeBox (sdk/scripts/generate-contract.cjs). Plain constants
// and functions live in modules without TypeBox and are re-exported here, so this file still reads as the whole
// contract.
export { ISO_DATE_TIME, LIMITS } from './limits.js';
export { ERROR_CODES, type ErrorCode } from './error-codes.js';
export { HEADERS, PATHS, PREFER_MINIMAL } from './endpoints.js';
export { entryFields, type EntryFields } from './entry-fields.js';

/** Printable text: no ASCII control characters (they corrupt logs and headers). */
const PRINTABLE = '^[^\\u0000-\\u001f\\u007f]+$';
/** Idempotency keys travel in a header, so they are printable ASCII without spaces. */
const IDEMPOTENCY_KEY = '^[\\x21-\\x7e]+$';

const text = (maxLength: number, description: string, title: string): TSchema =>
  Type.String({ minLength: 1, maxLength, pattern: PRINTABLE, title, description });

/**
 * A JSON object (details may be any JSON object, or free text). Written as `additionalProperties: true` rather than
 * `Type.Record`: the same values, but the compiled check no longer tests every key against a pattern, which made
 * it 3.5 times slower on `enqueue`'s hot path.
 */
export const JsonObjectSchema = Type.Unsafe<Record<string, unknown>>(Type.Object({}, { additionalProperties: true }));

/**
 * One audit-trail entry as a caller describes it. Field `title`s and `description`s are the user-facing labels
 * and help texts (the Zapier app and the OpenAPI document use them).
 */
export const EntrySchema = Type.Object(
  {
    actorId: Type.String({
      minLength: 1,
      maxLength: LIMITS.actorId,
      pattern: PRINTABLE,
      title: 'Actor ID',
      description: 'Who did it: a stable identifier of the user, service or API key that acted (e.g. an email or user id).',
    }),
    action: Type.String({
      minLength: 1,
      maxLength: LIMITS.action,
      pattern: PRINTABLE,
      title: 'Action',
      description: 'What they did, e.g. `LOGIN`, `REFUND_ISSUED`, `ROW_UPDATED`.',
    }),
    details: Type.Optional(
      Type.Union([Type.String(), JsonObjectSchema], {
        title: 'Details',
        description: 'The details of the event: free text or a JSON object. Stored exactly as given.',
      }),
    ),
    actorDisplayName: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: LIMITS.actorDisplayName,
        pattern: PRINTABLE,
        title: 'Actor Display Name',
        description: 'A human-readable name of the actor, e.g. "Ada Lovelace".',
      }),
    ),
    actorRoles: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: LIMITS.actorRole, pattern: '^[^\\u0000-\\u001f\\u007f,]+$' }), {
        maxItems: LIMITS.actorRoles,
        title: 'Actor Roles',
        description: 'The roles the actor held when acting, e.g. `admin`. Roles may not contain commas.',
      }),
    ),
    entityType: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: LIMITS.entityType,
        pattern: PRINTABLE,
        title: 'Entity Type',
        description: 'The kind of thing acted upon, e.g. `invoice`. Give it together with Entity ID.',
      }),
    ),
    entityId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: LIMITS.entityId,
        pattern: PRINTABLE,
        title: 'Entity ID',
        description: 'The identifier of the thing acted upon, e.g. `inv_123`. Give it together with Entity Type.',
      }),
    ),
    occurredAt: Type.Optional(
      Type.String({
        pattern: ISO_DATE_TIME,
        title: 'Occurred At',
        description: 'When the event happened, as an ISO-8601 date-time with a time zone. Defaults to the time it is recorded.',
      }),
    ),
    ip: Type.Optional(
      Type.String({
        minLength: 2,
        maxLength: 45,
        title: 'IP Address',
        description: 'The IPv4 or IPv6 address the actor acted from.',
      }),
    ),
    idempotencyKey: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: LIMITS.idempotencyKey,
        pattern: IDEMPOTENCY_KEY,
        title: 'Idempotency Key',
        description:
          'A unique key for this entry. Sending the same key again returns the original receipt instead of recording a duplicate.',
      }),
    ),
  },
  { additionalProperties: false, title: 'Entry' },
);

/** One audit-trail entry as a caller describes it. `actorId` and `action` are required. */
export type Entry = Static<typeof EntrySchema>;

/** Names of the fields of {@link Entry}. */
export type EntryField = keyof Entry;

/** An entry as stored and returned by the service: the caller's fields plus what the service added. */
export const StoredEntrySchema = Type.Object(
  {
    id: Type.String({ description: 'The entry id (a UUID).' }),
    applicationId: Type.String({ description: 'The application whose chain holds the entry.' }),
    sequence: Type.Integer({ minimum: 1 }),
    timestamp: Type.String({ description: 'When the service recorded the entry (ISO-8601, UTC).' }),
    actorId: Type.String(),
    action: Type.String(),
    details: Type.Union([Type.String(), JsonObjectSchema, Type.Null()]),
    actorDisplayName: Type.Union([Type.String(), Type.Null()]),
    actorRoles: Type.Union([Type.Array(Type.String()), Type.Null()]),
    entityType: Type.Union([Type.String(), Type.Null()]),
    entityId: Type.Union([Type.String(), Type.Null()]),
    occurredAt: Type.Union([Type.String(), Type.Null()]),
    ip: Type.Union([Type.String(), Type.Null()]),
    idempotencyKey: Type.Union([Type.String(), Type.Null()]),
    previousHash: Type.String(),
    hash: Type.String(),
    standaloneHash: Type.String(),
    hashVersion: Type.Integer({
      minimum: 1,
      description: 'The hash recipe of the entry (docs/hash-chain.md): 2 for new entries, 1 for entries stored before it.',
    }),
  },
  { additionalProperties: false, title: 'StoredEntry' },
);

/** An entry as stored and returned by the service. Absent optional fields are `null`. */
export type StoredEntry = Static<typeof StoredEntrySchema>;

/** The receipt the service returns for a recorded entry. Names follow LogSentinel's `LogResponse`. */
export const ReceiptSchema = Type.Object(
  {
    logEntryId: Type.String({ description: 'The id the service gave the entry (a UUID).' }),
    sequence: Type.Integer({ minimum: 1, description: 'Position of the entry in its application\'s chain, from 1.' }),
    hash: Type.String({ description: 'The chained hash of the entry (hex SHA-256).' }),
    previousHash: Type.String({ description: 'The chained hash of the entry before it (64 zeros for the first).' }),
    standaloneHash: Type.String({ description: 'SHA-256 of the entry\'s canonical serialisation (hex).' }),
    timestamp: Type.String({ description: 'When the service recorded the entry (ISO-8601, UTC).' }),
    treeSize: Type.Integer({
      minimum: 1,
      description: "Size of the application's Merkle tree that `checkpoint` signs; it covers this entry (leaf `sequence - 1`).",
    }),
    checkpoint: Type.String({
      description:
        'The signed checkpoint (C2SP tlog-checkpoint as a C2SP signed note) of that tree: one signature per request. ' +
        'Check it with the SDK\'s `verifyReceipt`; see docs/verification.md.',
    }),
    entry: Type.Optional(
      Type.Object(StoredEntrySchema.properties, {
        additionalProperties: false,
        description:
          'Only on an idempotent replay (HTTP 200, `Idempotent-Replayed: true`, batch status `duplicate`): the entry as stored, never the request\'s copy.',
      }),
    ),
  },
  { additionalProperties: false, title: 'Receipt' },
);

/** The receipt the service returns for a recorded entry. */
export type Receipt = Static<typeof ReceiptSchema>;

/** A union of string literals, typed as the union of the values (TypeBox would widen a mapped tuple to `string`). */
const literals = <const T extends readonly string[]>(values: T, options: { description?: string; title?: string } = {}) =>
  Type.Unsafe<T[number]>(Type.Union(values.map((value) => Type.Literal(value)), options));

/** The error of an error reply: a stable code, a message a person can act on, and the field at fault. */
export const ErrorDetailSchema = Type.Object(
  {
    code: literals(ERROR_CODES, { description: 'A stable, machine-readable error code.' }),
    message: Type.String({ description: 'A human-readable explanation (never contains a credential).' }),
    field: Type.Optional(Type.String({ description: 'The entry field or parameter the error is about, when there is one.' })),
  },
  { title: 'ErrorDetail' },
);

/** The error of an error reply. */
export type ErrorDetail = Static<typeof ErrorDetailSchema>;

/** The body of every error reply: `{ error: { code, message, field? } }`. */
export const ErrorBodySchema = Type.Object({ error: ErrorDetailSchema }, { title: 'ErrorBody' });

/** The body of every error reply. */
export type ErrorBody = Static<typeof ErrorBodySchema>;

/** Request of `POST /api/log/batch`. */
export const BatchRequestSchema = Type.Object(
  { entries: Type.Array(EntrySchema, { maxItems: LIMITS.batchEntries, description: 'The entries, recorded in this order.' }) },
  { additionalProperties: false, title: 'BatchRequest' },
);

/** Request of `POST /api/log/batch`. */
export type BatchRequest = Static<typeof BatchRequestSchema>;

/** The outcome of one entry of a batch: stored (or a replay of a stored one), or rejected with the reason. */
export const BatchResultSchema = Type.Union(
  [
    Type.Object({
      index: Type.Integer({ minimum: 0, description: 'Position of the entry in the request.' }),
      status: literals(['stored', 'duplicate'] as const, { description: '`duplicate`: an idempotent replay, nothing new stored.' }),
      receipt: ReceiptSchema,
    }),
    Type.Object({
      index: Type.Integer({ minimum: 0, description: 'Position of the entry in the request.' }),
      status: Type.Literal('rejected'),
      error: ErrorDetailSchema,
    }),
  ],
  { title: 'BatchResult' },
);

/** The outcome of one entry of a batch. */
export type BatchResult = Static<typeof BatchResultSchema>;

/** Response of `POST /api/log/batch`. `failedLogIndexes` mirrors LogSentinel's field. */
export const BatchResponseSchema = Type.Object(
  {
    results: Type.Array(BatchResultSchema, { description: 'One result per entry, in request order.' }),
    failedLogIndexes: Type.Array(Type.Integer({ minimum: 0 }), { description: 'Indexes of the rejected entries.' }),
  },
  { title: 'BatchResponse' },
);

/** Response of `POST /api/log/batch`. */
export type BatchResponse = Static<typeof BatchResponseSchema>;

/**
 * Compact response of `POST /api/log/batch` (asked for with `Prefer: return=minimal`): counts, and only the entries
 * that were rejected. For senders that do not need receipts (the SDK's `enqueue` when nobody listens to `delivered`).
 */
export const BatchSummarySchema = Type.Object(
  {
    stored: Type.Integer({ minimum: 0, description: 'How many entries were stored.' }),
    duplicates: Type.Integer({ minimum: 0, description: 'How many were idempotent replays (nothing new stored).' }),
    rejected: Type.Array(
      Type.Object({ index: Type.Integer({ minimum: 0, description: 'Position of the entry in the request.' }), error: ErrorDetailSchema }),
      { description: 'The rejected entries, in request order.' },
    ),
    failedLogIndexes: Type.Array(Type.Integer({ minimum: 0 }), { description: 'Indexes of the rejected entries.' }),
    treeSize: Type.Optional(Type.Integer({ minimum: 0, description: 'Size of the tree that `checkpoint` signs (covers every stored entry).' })),
    checkpoint: Type.Optional(Type.String({ description: 'The signed checkpoint covering the batch, as in a receipt.' })),
  },
  { additionalProperties: false, title: 'BatchSummary' },
);

/** Compact response of `POST /api/log/batch`. */
export type BatchSummary = Static<typeof BatchSummarySchema>;

const filter = (maxLength: number, description: string) => Type.Optional(Type.String({ minLength: 1, maxLength, description }));

/**
 * Filters and paging of `GET /api/entries`: the one rule for them, which the SDK checks before sending, the
 * server on receipt and the Zapier search before asking. `from`/`to` must also name real calendar instants
 * (`isIsoDateTime`), which a pattern cannot say.
 */
export const ListQuerySchema = Type.Object(
  {
    actorId: filter(LIMITS.actorId, 'Only entries by this actor.'),
    action: filter(LIMITS.action, 'Only entries with this action.'),
    entityType: filter(LIMITS.entityType, 'Only entries about this entity type.'),
    entityId: filter(LIMITS.entityId, 'Only entries about this entity id.'),
    idempotencyKey: filter(LIMITS.idempotencyKey, 'Only the entry recorded with this idempotency key (used by search-or-create).'),
    from: Type.Optional(
      Type.String({ maxLength: 64, pattern: ISO_DATE_TIME, description: 'Only entries recorded at or after this ISO-8601 date-time (with a time zone).' }),
    ),
    to: Type.Optional(
      Type.String({ maxLength: 64, pattern: ISO_DATE_TIME, description: 'Only entries recorded before this ISO-8601 date-time (with a time zone).' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.pageSize, description: 'Page size (default 50).' })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: "Opaque cursor from a previous page's nextCursor." })),
    order: Type.Optional(
      literals(['asc', 'desc'] as const, { description: '`desc` (newest first, the default) or `asc` (chain order, for verification).' }),
    ),
  },
  { additionalProperties: false, title: 'ListQuery' },
);

/** Filters and paging of `GET /api/entries`. */
export type ListQuery = Static<typeof ListQuerySchema>;

/** Response of `GET /api/entries`. */
export const ListResponseSchema = Type.Object(
  {
    entries: Type.Array(StoredEntrySchema, { description: 'The page of entries.' }),
    nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Cursor of the next page, or `null` on the last page.' }),
  },
  { title: 'ListResponse' },
);

/** Response of `GET /api/entries`. */
export type ListResponse = Static<typeof ListResponseSchema>;

/** Query of `GET /api/getEntryById`. */
export const EntryByIdQuerySchema = Type.Object(
  { entryId: Type.String({ minLength: 1, maxLength: 64, description: 'The entry id.' }) },
  { additionalProperties: false, title: 'EntryByIdQuery' },
);

/** Query of `GET /api/getEntryById`. */
export type EntryByIdQuery = Static<typeof EntryByIdQuerySchema>;

/** Response of `GET /api/auth/check`: who the credentials belong to. */
export const AuthCheckResponseSchema = Type.Object(
  {
    organizationId: Type.String({ description: 'The organization the credentials belong to.' }),
    organizationName: Type.String({ description: "The organization's display name." }),
    applicationId: Type.String({ description: 'The application named by the `Application-Id` header.' }),
    applicationName: Type.String({ description: "The application's display name." }),
  },
  { title: 'AuthCheckResponse' },
);

/** Response of `GET /api/auth/check`. */
export type AuthCheckResponse = Static<typeof AuthCheckResponseSchema>;

/** Query of `GET /api/verification/chain` (`fromSequence` ≤ `toSequence` is checked too). */
export const VerifyQuerySchema = Type.Object(
  {
    fromSequence: Type.Optional(Type.Integer({ minimum: 1, description: 'First sequence number to check, inclusive (default 1).' })),
    toSequence: Type.Optional(Type.Integer({ minimum: 1, description: 'Last sequence number to check, inclusive (default: the newest).' })),
  },
  { additionalProperties: false, title: 'VerifyQuery' },
);

/** Query of `GET /api/verification/chain`. */
export type VerifyQuery = Static<typeof VerifyQuerySchema>;

/**
 * Why a chain failed verification. `entries_missing`: the service's chain head is past the last stored entry;
 * `unknown_hash_version`: the entry claims a hash recipe this code does not know, or an older one than the entry
 * before it.
 */
export const ChainFailureReasonSchema = literals(
  ['hash_mismatch', 'standalone_hash_mismatch', 'previous_hash_mismatch', 'sequence_gap', 'entries_missing', 'unknown_hash_version'] as const,
  { title: 'ChainFailureReason', description: 'What did not match.' },
);

/** Why a chain failed verification. */
export type ChainFailureReason = Static<typeof ChainFailureReasonSchema>;

/** One place where a chain does not verify. */
export const ChainBreakSchema = Type.Object(
  {
    sequence: Type.Integer({ minimum: 1, description: 'The sequence number of the first bad position of this break.' }),
    entryId: Type.Union([Type.String(), Type.Null()], {
      description: 'The entry there; `null` for `entries_missing`, where no entry is left.',
    }),
    reason: ChainFailureReasonSchema,
  },
  { title: 'ChainBreak' },
);

/** One place where a chain does not verify. */
export type ChainBreak = Static<typeof ChainBreakSchema>;

/** The result of verifying a chain (or a range of it). */
export const VerifyResultSchema = Type.Union(
  [
    Type.Object({
      valid: Type.Literal(true),
      checked: Type.Integer({ minimum: 0, description: 'Number of entries checked.' }),
      lastHash: Type.String({ description: 'Hash of the last entry checked (the chain head when the whole chain was checked).' }),
    }),
    Type.Object({
      valid: Type.Literal(false),
      checked: Type.Integer({ minimum: 0, description: 'Number of entries checked before the first break.' }),
      firstBadEntryId: Type.Union([Type.String(), Type.Null()], {
        description: 'The first entry whose stored data does not match the chain; `null` for `entries_missing`, where that position holds no entry any more.',
      }),
      firstBadSequence: Type.Integer({ minimum: 1, description: 'Its sequence number.' }),
      reason: ChainFailureReasonSchema,
      breaks: Type.Array(ChainBreakSchema, {
        description:
          "Every break found, in chain order (the first is the one above). Verification goes on past a break, re-anchored on the entry's stored links, so that a second break is never hidden behind the first.",
      }),
      breaksTruncated: Type.Boolean({ description: 'More breaks were found than are listed (the list is bounded).' }),
    }),
  ],
  { title: 'VerifyResult' },
);

/** The result of verifying a chain (or a range of it). */
export type VerifyResult = Static<typeof VerifyResultSchema>;

/** A break the service's integrity monitor found and keeps reporting (`GET /api/verification/integrity`). */
export const IntegrityBreakSchema = Type.Object(
  {
    id: Type.String({ description: 'Stable id of this break: `{applicationId}:{sequence}:{reason}` (the integrity alert\'s dedupe key).' }),
    ...ChainBreakSchema.properties,
    detectedAt: Type.String({ description: 'When the monitor first found it (ISO-8601).' }),
  },
  { title: 'IntegrityBreak' },
);

/** A break the service's integrity monitor found and keeps reporting. */
export type IntegrityBreak = Static<typeof IntegrityBreakSchema>;

/**
 * Response of `GET /api/verification/integrity`: the application's verified watermark and every break found so
 * far (newest position first, bounded). Each call checks the entries added since the watermark (cost grows with
 * new entries, not with the trail); a full pass over the whole chain runs periodically in a worker thread.
 */
export const IntegrityStatusSchema = Type.Object(
  {
    applicationId: Type.String({ description: 'The application.' }),
    headSequence: Type.Integer({ minimum: 0, description: 'Sequence of the newest entry (the chain head).' }),
    verifiedSequence: Type.Integer({ minimum: 0, description: 'Entries 1..verifiedSequence have been checked.' }),
    verifiedHash: Type.String({ description: 'The stored hash of entry verifiedSequence (64 zeros for 0).' }),
    verifiedRoot: Type.Union([Type.String(), Type.Null()], {
      description: 'The Merkle root at verifiedSequence, once the monitor tracks it; `null` until then.',
    }),
    lastFullPassAt: Type.Union([Type.String(), Type.Null()], { description: 'When the last full pass finished (ISO-8601), or `null`.' }),
    fullPassRunning: Type.Boolean({ description: 'A full pass is running now.' }),
    breaks: Type.Array(IntegrityBreakSchema, {
      maxItems: LIMITS.integrityBreaks,
      description: 'Every break found so far, newest position first; each is reported until the trail is repaired.',
    }),
  },
  { title: 'IntegrityStatus' },
);

/** Response of `GET /api/verification/integrity`. */
export type IntegrityStatus = Static<typeof IntegrityStatusSchema>;

/**
 * The signed head of an application's Merkle tree (`GET /api/verification/merkle/latestTreeHead`). Merkle hashes
 * on the wire are base64, as in the checkpoint.
 */
export const TreeHeadSchema = Type.Object(
  {
    origin: Type.String({ description: "The log's identity, first line of the checkpoint: `<service name>/app/<applicationId>`." }),
    treeSize: Type.Integer({ minimum: 0, description: 'Number of entries (leaves) in the tree.' }),
    rootHash: Type.String({ description: 'RFC 9162 root hash of the tree, base64.' }),
    checkpoint: Type.String({ description: 'The C2SP signed note of the checkpoint: origin, size, root, blank line, signature line.' }),
  },
  { additionalProperties: false, title: 'TreeHead' },
);

/** The signed head of an application's Merkle tree. */
export type TreeHead = Static<typeof TreeHeadSchema>;

/** Query of `GET /api/verification/merkle/proofs/inclusion`: the entry (by id or by sequence) and a tree size. */
export const InclusionProofQuerySchema = Type.Object(
  {
    entryId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'The entry, by id.' })),
    sequence: Type.Optional(Type.Integer({ minimum: 1, description: 'The entry, by sequence.' })),
    treeSize: Type.Optional(Type.Integer({ minimum: 1, description: 'Size of the tree to prove inclusion in (default: the latest).' })),
  },
  { additionalProperties: false },
);

/** Query of `GET /api/verification/merkle/proofs/inclusion`: exactly one of `entryId` and `sequence`. */
export type InclusionProofQuery = Static<typeof InclusionProofQuerySchema>;

/** An inclusion proof (RFC 9162 section 2.1.3): the entry is leaf `leafIndex` of the tree of `treeSize` leaves. */
export const InclusionProofSchema = Type.Object(
  {
    logEntryId: Type.String(),
    sequence: Type.Integer({ minimum: 1 }),
    leafIndex: Type.Integer({ minimum: 0, description: '`sequence - 1`.' }),
    treeSize: Type.Integer({ minimum: 1 }),
    leafHash: Type.String({ description: 'SHA-256(0x00 || canonical entry bytes), base64.' }),
    auditPath: Type.Array(Type.String(), { description: 'Sibling hashes from the leaf up, base64.' }),
  },
  { additionalProperties: false, title: 'InclusionProof' },
);

/** An inclusion proof. */
export type InclusionProof = Static<typeof InclusionProofSchema>;

/** Query of `GET /api/verification/merkle/proofs/consistency`. */
export const ConsistencyProofQuerySchema = Type.Object(
  {
    firstTreeSize: Type.Integer({ minimum: 0, description: 'The older tree size.' }),
    secondTreeSize: Type.Optional(Type.Integer({ minimum: 0, description: 'The newer tree size (default: the latest).' })),
  },
  { additionalProperties: false },
);

/** Query of `GET /api/verification/merkle/proofs/consistency`. */
export type ConsistencyProofQuery = Static<typeof ConsistencyProofQuerySchema>;

/** A consistency proof (RFC 9162 section 2.1.4): the tree of `secondTreeSize` extends the one of `firstTreeSize`. */
export const ConsistencyProofSchema = Type.Object(
  {
    firstTreeSize: Type.Integer({ minimum: 0 }),
    secondTreeSize: Type.Integer({ minimum: 0 }),
    consistencyPath: Type.Array(Type.String(), { description: 'The proof hashes, base64.' }),
  },
  { additionalProperties: false, title: 'ConsistencyProof' },
);

/** A consistency proof. */
export type ConsistencyProof = Static<typeof ConsistencyProofSchema>;

/** `GET /api/verification/merkle/info`: who signs the application's checkpoints. */
export const MerkleInfoSchema = Type.Object(
  {
    origin: Type.String({ description: "The application's log origin." }),
    verifierKey: Type.String({ description: "The service's C2SP signed-note verifier key: `<name>+<hex key id>+<base64(0x01 || Ed25519 key)>`." }),
    treeSize: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false, title: 'MerkleInfo' },
);

/** Who signs the application's checkpoints, and the tree's size. */
export type MerkleInfo = Static<typeof MerkleInfoSchema>;

/** An application of the organization (`GET /api/applications`). */
export const ApplicationSchema = Type.Object(
  {
    id: Type.String({ description: 'The application id (the value of the `Application-Id` header).' }),
    name: Type.String({ description: 'Display name.' }),
    createdAt: Type.String({ description: 'When it was created (ISO-8601).' }),
  },
  { title: 'Application' },
);

/** An application of the organization. */
export type Application = Static<typeof ApplicationSchema>;

/** Response of `GET /api/applications`: the organization's applications, oldest first. */
export const ApplicationsResponseSchema = Type.Object({ applications: Type.Array(ApplicationSchema) }, { title: 'ApplicationsResponse' });

/** Response of `GET /api/applications`. */
export type ApplicationsResponse = Static<typeof ApplicationsResponseSchema>;

/** One distinct action recorded in the application (`GET /api/actions`). */
export const ActionSummarySchema = Type.Object(
  {
    action: Type.String({ description: 'The action name.' }),
    count: Type.Integer({ minimum: 1, description: 'How many entries carry it.' }),
    lastRecordedAt: Type.String({ description: 'When it was last recorded (ISO-8601).' }),
  },
  { title: 'ActionSummary' },
);

/** One distinct action recorded in the application. */
export type ActionSummary = Static<typeof ActionSummarySchema>;

/** Response of `GET /api/actions`: most recently recorded first. */
export const ActionsResponseSchema = Type.Object({ actions: Type.Array(ActionSummarySchema) }, { title: 'ActionsResponse' });

/** Response of `GET /api/actions`. */
export type ActionsResponse = Static<typeof ActionsResponseSchema>;

/** Request of `POST /api/hooks`: deliver each new matching entry of the application to `targetUrl`. */
export const CreateHookRequestSchema = Type.Object(
  {
    targetUrl: Type.String({ minLength: 1, maxLength: 2048, description: 'http(s) URL each new matching entry is POSTed to (a StoredEntry as JSON).' }),
    actorId: filter(LIMITS.actorId, 'Only entries by this actor.'),
    action: filter(LIMITS.action, 'Only entries with this action.'),
    entityType: filter(LIMITS.entityType, 'Only entries about this entity type.'),
    entityId: filter(LIMITS.entityId, 'Only entries about the entity with this id.'),
  },
  { additionalProperties: false, title: 'CreateHookRequest' },
);

/** Request of `POST /api/hooks`. */
export type CreateHookRequest = Static<typeof CreateHookRequestSchema>;

/** A webhook subscription (response of `POST /api/hooks`). */
export const HookSubscriptionSchema = Type.Object(
  {
    id: Type.String({ description: 'Subscription id; `DELETE /api/hooks/{id}` removes it.' }),
    targetUrl: Type.String({ description: 'Where entries are delivered.' }),
    actorId: Type.Union([Type.String(), Type.Null()], { description: 'Actor filter, or `null`.' }),
    action: Type.Union([Type.String(), Type.Null()], { description: 'Action filter, or `null`.' }),
    entityType: Type.Union([Type.String(), Type.Null()], { description: 'Entity type filter, or `null`.' }),
    entityId: Type.Union([Type.String(), Type.Null()], { description: 'Entity id filter, or `null`.' }),
    createdAt: Type.String({ description: 'When it was created (ISO-8601).' }),
    secret: Type.Optional(
      Type.String({
        description:
          'The HMAC-SHA256 key of the `Audit-Trail-Signature` header of this subscription\'s deliveries. Only in the reply to `POST /api/hooks`: nothing shows it again.',
      }),
    ),
  },
  { title: 'HookSubscription' },
);

/** A webhook subscription. */
export type HookSubscription = Static<typeof HookSubscriptionSchema>;
