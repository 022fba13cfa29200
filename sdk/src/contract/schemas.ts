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
} as const;

/** Printable text: no ASCII control characters (they corrupt logs and headers). */
const PRINTABLE = '^[^\\u0000-\\u001f\\u007f]+$';
/** Idempotency keys travel in a header, so they are printable ASCII without spaces. */
const IDEMPOTENCY_KEY = '^[\\x21-\\x7e]+$';
/** ISO-8601 date-time with an explicit offset, e.g. `2026-01-31T12:00:00.000Z` (a real calendar date is checked too). */
export const ISO_DATE_TIME = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$';

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

/** Machine-readable error codes, shared by the server's replies and the SDK's errors. */
export const ERROR_CODES = [
  'missing_field',
  'invalid_field',
  'field_too_long',
  'details_not_serializable',
  'details_too_large',
  'body_too_large',
  'batch_too_large',
  'malformed_json',
  'unsupported_media_type',
  'unauthorized',
  'unknown_application',
  'not_found',
  'rate_limited',
  'idempotency_conflict',
  'internal_error',
  'invalid_unicode',
  'invalid_number',
  'duplicate_key',
] as const;

/** A machine-readable error code. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The body of every error reply: `{ error: { code, message, field? } }`. */
export const ErrorBodySchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      field: Type.Optional(Type.String()),
    }),
  },
  { title: 'ErrorBody' },
);

/** The body of every error reply. */
export interface ErrorBody {
  /** What went wrong. */
  error: {
    /** A stable, machine-readable {@link ErrorCode}. */
    code: ErrorCode;
    /** A human-readable explanation (never contains a credential). */
    message: string;
    /** The entry field the error is about, when there is one. */
    field?: string;
  };
}

/** Request of `POST /api/log/batch`. */
export interface BatchRequest {
  /** The entries, recorded in this order. */
  entries: Entry[];
}

/** The outcome of one entry of a batch. */
export type BatchResult =
  | { index: number; status: 'stored' | 'duplicate'; receipt: Receipt }
  | { index: number; status: 'rejected'; error: ErrorBody['error'] };

/** Response of `POST /api/log/batch`. `failedLogIndexes` mirrors LogSentinel's field. */
export interface BatchResponse {
  /** One result per entry, in request order. */
  results: BatchResult[];
  /** Indexes of the rejected entries. */
  failedLogIndexes: number[];
}

/** Filters and paging of `GET /api/entries`. */
export interface ListQuery {
  /** Only entries by this actor. */
  actorId?: string;
  /** Only entries with this action. */
  action?: string;
  /** Only entries about this entity type. */
  entityType?: string;
  /** Only entries about this entity id. */
  entityId?: string;
  /** Only the entry recorded with this idempotency key (used by search-or-create). */
  idempotencyKey?: string;
  /** Only entries recorded at or after this ISO-8601 date-time. */
  from?: string;
  /** Only entries recorded before this ISO-8601 date-time. */
  to?: string;
  /** Page size, 1 to {@link LIMITS.pageSize}. @default 50 */
  limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
  /** `desc` (newest first, the default) or `asc` (chain order, for verification). */
  order?: 'asc' | 'desc';
}

/** Response of `GET /api/entries`. */
export interface ListResponse {
  /** The page of entries. */
  entries: StoredEntry[];
  /** Cursor of the next page, or `null` on the last page. */
  nextCursor: string | null;
}

/** Response of `GET /api/auth/check`: who the credentials belong to. */
export interface AuthCheckResponse {
  /** The organization the credentials belong to. */
  organizationId: string;
  /** The organization's display name. */
  organizationName: string;
  /** The application named by the `Application-Id` header. */
  applicationId: string;
  /** The application's display name. */
  applicationName: string;
}

/** Query of `GET /api/verification/chain`. */
export interface VerifyQuery {
  /** First sequence number to check (inclusive). @default 1 */
  fromSequence?: number;
  /** Last sequence number to check (inclusive). @default the newest */
  toSequence?: number;
}

/** Why a chain failed verification. */
export type ChainFailureReason =
  | 'hash_mismatch'
  | 'standalone_hash_mismatch'
  | 'previous_hash_mismatch'
  | 'sequence_gap'
  /** The newest entries are gone: the service's chain head is past the last stored entry. */
  | 'entries_missing'
  /** The entry claims a hash recipe this code does not know, or an older one than the entry before it. */
  | 'unknown_hash_version';

/** One place where a chain does not verify. */
export interface ChainBreak {
  /** The sequence number of the first bad position of this break. */
  sequence: number;
  /** The entry there; `null` for `entries_missing`, where no entry is left. */
  entryId: string | null;
  /** What did not match. */
  reason: ChainFailureReason;
}

/** The result of verifying a chain (or a range of it). */
export type VerifyResult =
  | {
      valid: true;
      /** Number of entries checked. */
      checked: number;
      /** Hash of the last entry checked (the chain head when the whole chain was checked). */
      lastHash: string;
    }
  | {
      valid: false;
      /** Number of entries checked before the first break. */
      checked: number;
      /**
       * The first entry whose stored data does not match the chain; `null` for `entries_missing`, where the
       * first bad position holds no entry any more.
       */
      firstBadEntryId: string | null;
      /** Its sequence number. */
      firstBadSequence: number;
      /** What did not match. */
      reason: ChainFailureReason;
      /**
       * Every break found, in chain order (the first is the one above). Verification goes on past a break,
       * re-anchored on the entry's stored links, so that a second break is never hidden behind the first.
       */
      breaks: ChainBreak[];
      /** More breaks were found than are listed (the list is bounded). */
      breaksTruncated: boolean;
    };

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

/** Route templates of the same paths, for the server's router. */
export const ROUTES = {
  log: '/api/log/:actorId/:action',
  logAboutEntity: '/api/log/:actorId/:action/:entityType/:entityId',
  batch: PATHS.batch,
  entries: PATHS.entries,
  entryById: PATHS.entryById,
  verifyChain: PATHS.verifyChain,
  authCheck: PATHS.authCheck,
  applications: PATHS.applications,
  actions: PATHS.actions,
  hooks: PATHS.hooks,
  hook: '/api/hooks/:id',
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
} as const;

/** An application of the organization (`GET /api/applications`). */
export interface Application {
  /** The application id (the value of the `Application-Id` header). */
  id: string;
  /** Display name. */
  name: string;
  /** When it was created (ISO-8601). */
  createdAt: string;
}

/** Response of `GET /api/applications`. */
export interface ApplicationsResponse {
  /** The organization's applications, oldest first. */
  applications: Application[];
}

/** One distinct action recorded in the application (`GET /api/actions`). */
export interface ActionSummary {
  /** The action name. */
  action: string;
  /** How many entries carry it. */
  count: number;
  /** When it was last recorded (ISO-8601). */
  lastRecordedAt: string;
}

/** Response of `GET /api/actions`: most recently recorded first. */
export interface ActionsResponse {
  /** The actions. */
  actions: ActionSummary[];
}

/** Request of `POST /api/hooks`: deliver each new matching entry of the application to `targetUrl`. */
export interface CreateHookRequest {
  /** Where to POST each new entry (a `StoredEntry` as JSON). */
  targetUrl: string;
  /** Only entries by this actor. */
  actorId?: string;
  /** Only entries with this action. */
  action?: string;
  /** Only entries about this entity type. */
  entityType?: string;
}

/** A webhook subscription (response of `POST /api/hooks`). */
export interface HookSubscription {
  /** Subscription id; `DELETE /api/hooks/{id}` removes it. */
  id: string;
  /** Where entries are delivered. */
  targetUrl: string;
  /** Actor filter, or `null`. */
  actorId: string | null;
  /** Action filter, or `null`. */
  action: string | null;
  /** Entity type filter, or `null`. */
  entityType: string | null;
  /** When it was created (ISO-8601). */
  createdAt: string;
}
