/**
 * The audit-trail client: records entries, reads them back, and verifies the hash chain (on the service and
 * locally). Each method validates its input before any network call and fails with an {@link AuditTrailError}.
 *
 * @packageDocumentation
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';
import { ChainVerification, GENESIS_HASH } from './contract/chain.js';
import { HEADERS, PATHS } from './contract/endpoints.js';
import { LIMITS } from './contract/limits.js';
import type {
  ActionsResponse,
  ApplicationsResponse,
  AuthCheckResponse,
  BatchResponse,
  ConsistencyProof,
  ConsistencyProofQuery,
  InclusionProof,
  InclusionProofQuery,
  MerkleInfo,
  TreeHead,
  CreateHookRequest,
  Entry,
  HookSubscription,
  ListQuery,
  ListResponse,
  Receipt,
  StoredEntry,
  VerifyQuery,
  VerifyResult,
} from './contract/schemas.js';
import {
  AuditTrailError,
  NetworkError,
  ValidationError,
  describeOperation,
  errorFromResponse,
  headerValue,
  type OperationContext,
} from './errors.js';
import { ClientClosedError } from './delivery/errors.js';
import { Publisher, type CloseOptions, type CloseResult } from './delivery/publisher.js';
import { EMPTY_STATS, type DeliveryEventName, type DeliveryListener, type DeliveryStats } from './delivery/events.js';
import type { NormalizedDeliveryOptions } from './delivery/options.js';
import { normalizeOptions, type ClientOptions } from './options.js';
import { AxiosTransport } from './transport/axios-transport.js';
import { DisabledTransport } from './transport/disabled-transport.js';
import type { SendOptions, Transport, TransportResponse } from './transport/transport.js';
import { retryDelayMs, shouldRetry } from './delivery/retry-policy.js';
import { checkRequestOptions, type RequestOptions } from './request-options.js';
import { uuidv7 } from './ids.js';
import { isValidationIssue, serializeEntry, type SerializedEntry } from './contract/validation.js';
import { ERROR_STATUS } from './contract/error-codes.js';
import { readErrorBody } from './contract/error-body.js';
import { LogCoalescer } from './log-coalescer.js';
import { listQueryIssue, verifyQueryIssue, type QueryIssue } from './contract/query-validation.js';
import { basicAuthorization, batchBody, batchOverheadBytes, buildLogRequest, queryString, type WireRequest } from './contract/wire.js';
import { LogVerifier, type LocalTreeVerification, type ReceiptVerification, type VerifiedCheckpoint } from './verification/log-verifier.js';

const JSON_HEADERS = { 'Content-Type': 'application/json' } as const;
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const invalid = (operation: string, field: string, problem: string): ValidationError =>
  new ValidationError(`${operation}: ${field} ${problem}`, { code: 'invalid_field', field, operation });

/** The contract's one check of a read query, as a {@link ValidationError} naming the parameter. */
function checkQuery(issue: QueryIssue | undefined, operation: string): void {
  if (issue) throw new ValidationError(`${operation}: ${issue.message}`, { code: issue.code, field: issue.field, operation });
}

function checkId(value: unknown, field: string, operation: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(operation, field, 'is required');
  return value;
}

/** A 2xx body that is not the expected JSON object means the base URL points at something else. */
function unexpectedReply(response: TransportResponse, operation: OperationContext): AuditTrailError {
  return new AuditTrailError(
    `${describeOperation(operation)} got an unexpected reply (HTTP ${response.status}): ` +
      'is baseUrl the address of an audit-trail service?',
    { status: response.status, operation },
  );
}

/** The reply's JSON object, checked for the members the caller relies on (a light check, not a schema). */
function expectObject(response: TransportResponse, operation: OperationContext, required: readonly string[]): Record<string, unknown> {
  const body = response.body;
  if (isObject(body) && required.every((key) => key in body)) return body;
  throw unexpectedReply(response, operation);
}

/**
 * A client of the audit-trail service, for one application of one organization. Create one per application and
 * reuse it (it pools connections); `close()` it when done.
 *
 * @example
 * ```ts
 * const client = new AuditTrailClient({ baseUrl, organizationId, apiSecret, applicationId });
 * const receipt = await client.log({ actorId: 'ada@example.com', action: 'LOGIN', details: { mfa: true } });
 * await client.close();
 * ```
 */
export class AuditTrailClient {
  readonly #transport: Transport;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  /** Where failures nobody listens to are reported: the `logger` option, else `process.emitWarning`. */
  readonly #warn: (message: string) => void;
  readonly #baseUrl: string;
  readonly #organizationId: string;
  readonly #applicationId: string;
  /** The secret and its Basic-auth form, to scrub from anything the service echoes back. */
  readonly #secrets: readonly string[];
  #closed = false;
  readonly #delivery: NormalizedDeliveryOptions;
  /** The `enqueue` pipeline, built on first use (at construction with a spool, to restore it at once). */
  #publisher: Publisher | undefined;
  #closing: Promise<CloseResult> | undefined;
  /** The client's own check of the service's log: trusted key and last verified checkpoint. */
  readonly #log: LogVerifier;
  /** Groups concurrent `log()` calls into batch requests (the `coalesce` option); undefined when turned off. */
  readonly #coalescer: LogCoalescer<SerializedEntry, Receipt> | undefined;

  /**
   * @param options - Where the service is and whose credentials to use. Checked here: a missing or malformed
   * option throws a `TypeError` naming it.
   */
  constructor(options: ClientOptions = {}) {
    const normalized = normalizeOptions(options);
    this.#baseUrl = normalized.baseUrl;
    this.#organizationId = normalized.organizationId;
    this.#applicationId = normalized.applicationId;
    this.#timeoutMs = normalized.timeoutMs;
    const authorization = basicAuthorization(normalized.organizationId, normalized.apiSecret);
    this.#secrets = [normalized.apiSecret, authorization.slice('Basic '.length)];
    this.#maxRetries = normalized.maxRetries;
    this.#transport = normalized.disabled
      ? new DisabledTransport(normalized)
      : (normalized.transport ?? new AxiosTransport(normalized));
    this.#warn = normalized.logger
      ? (message: string) => normalized.logger?.warn(message)
      : (message: string) => process.emitWarning(message, { code: 'AUDIT_TRAIL_DELIVERY_FAILED' });
    this.#delivery = normalized.delivery;
    if (this.#delivery.spool) this.#pipeline();
    this.#coalescer = normalized.coalesce
      ? new LogCoalescer<SerializedEntry, Receipt>({ sendOne: (entry) => this.#logOne(entry, {}), sendMany: (entries) => this.#logMany(entries) })
      : undefined;
    this.#log = new LogVerifier(
      {
        merkleInfo: () => this.merkleInfo(),
        latestTreeHead: () => this.latestTreeHead(),
        consistencyProof: (firstTreeSize, secondTreeSize) => this.consistencyProof({ firstTreeSize, secondTreeSize }),
        inclusionProof: (entryId, treeSize) => this.inclusionProof({ entryId, treeSize }),
        getEntry: (entryId) => this.getEntry(entryId),
        entries: () => this.iterateEntries({ order: 'asc', limit: LIMITS.pageSize }),
      },
      normalized.verification,
    );
  }

  /**
   * Queues an entry for batched delivery and returns at once: validated, given an idempotency key (unless it has
   * one) and serialised now, sent later with retries; see docs/delivery.md. Returns `undefined` once accepted;
   * only when the queue is full with `delivery.whenFull: 'block'` does it return a promise, resolved once the
   * entry is accepted. `await client.enqueue(entry)` works in every case.
   *
   * @throws {@link ValidationError} for an invalid entry (nothing is queued); `QueueFullError` when full with
   * `whenFull: 'throw'`; `ClientClosedError` after `close()`.
   */
  enqueue(entry: Entry): void | Promise<void> {
    if (this.#closing) throw new ClientClosedError('enqueue failed: the client is closed', { operation: 'enqueue' });
    return this.#pipeline().enqueue(entry);
  }

  /**
   * Sends what is queued now and resolves once every entry enqueued before the call is delivered or failed.
   * In a serverless handler, `await client.flush()` before returning.
   */
  flush(): Promise<void> {
    return this.#publisher?.flush() ?? Promise.resolve();
  }

  /** Listens to a delivery event (`delivered`, `retrying`, `spooled`, `dropped`, `failed`, `drained`). */
  on<K extends DeliveryEventName>(name: K, listener: DeliveryListener<K>): this {
    this.#pipeline().on(name, listener);
    return this;
  }

  /** Stops listening to a delivery event. */
  off<K extends DeliveryEventName>(name: K, listener: DeliveryListener<K>): this {
    this.#publisher?.off(name, listener);
    return this;
  }

  /** Delivery counters, as of now. */
  get stats(): DeliveryStats {
    return this.#publisher?.stats ?? { ...EMPTY_STATS };
  }

  #pipeline(): Publisher {
    this.#publisher ??= new Publisher({ transport: this.#transport, options: this.#delivery, warn: this.#warn });
    return this.#publisher;
  }

  /**
   * Records one entry: `POST /api/log/{actorId}/{action}` (or `.../{entityType}/{entityId}`).
   *
   * @returns The service's receipt (also for an idempotent replay of a known `idempotencyKey`).
   * @throws {@link ValidationError} before any network call when the entry is invalid, or when the service rejects it.
   * @throws {@link AuthenticationError}, {@link RateLimitError}, {@link ConflictError}, {@link ServerError},
   * {@link NetworkError}.
   */
  async log(entry: Entry, options: RequestOptions = {}): Promise<Receipt> {
    // A key minted here (unless the entry has one) makes the retries below safe: the service stores the entry once.
    const serialized = serializeEntry(entry, uuidv7);
    if (isValidationIssue(serialized)) throw ValidationError.fromIssue(serialized, { operation: 'log' });
    const { signal, timeoutMs, maxRetries } = checkRequestOptions(options, 'log');
    // A call with options of its own (a signal, a deadline) is sent by itself: a shared request has none of them.
    if (this.#coalescer && signal === undefined && timeoutMs === undefined && maxRetries === undefined) {
      return this.#coalescer.submit(serialized, serialized.bytes);
    }
    return this.#logOne(serialized, options);
  }

  /** One entry on the single-entry route. */
  async #logOne(serialized: SerializedEntry, options: RequestOptions): Promise<Receipt> {
    const { response, operation } = await this.#send(buildLogRequest(serialized.entry), 'log', options, true);
    return expectObject(response, operation, ['logEntryId', 'hash']) as unknown as Receipt;
  }

  /**
   * Coalesced `log()` calls as one `POST /api/log/batch` with full receipts. Each entry's outcome is what the
   * single-entry route would have given its caller: its receipt, or the typed error of its rejection (a
   * conflicting idempotency key is a `ConflictError`, as a 409 would be). A failure of the whole request (401,
   * 5xx after the retries, the network) rejects, and every caller in the group gets that error.
   */
  async #logMany(entries: readonly SerializedEntry[]): Promise<Array<Receipt | AuditTrailError>> {
    const request: WireRequest = {
      method: 'POST',
      path: PATHS.batch,
      headers: { ...JSON_HEADERS },
      body: batchBody(entries.map((entry) => entry.json)),
    };
    const { response, operation } = await this.#send(request, 'log', {}, true);
    const results = expectObject(response, operation, ['results', 'failedLogIndexes'])['results'];
    if (!Array.isArray(results) || results.length !== entries.length) throw unexpectedReply(response, operation);
    return entries.map((_, index): Receipt | AuditTrailError => {
      const result: unknown = results[index];
      if (!isObject(result) || result['index'] !== index) throw unexpectedReply(response, operation);
      if (result['status'] === 'rejected') {
        // The contract's one reader of an error body decides whether the code is known; its status is the single route's.
        const body = { error: result['error'] };
        const code = readErrorBody(body)?.code;
        return this.#scrub(errorFromResponse(code === undefined ? 400 : ERROR_STATUS[code], body, undefined, operation));
      }
      const receipt = result['receipt'];
      if (!isObject(receipt) || !('logEntryId' in receipt) || !('hash' in receipt)) throw unexpectedReply(response, operation);
      return receipt as unknown as Receipt;
    });
  }

  /**
   * Records many entries in one request (`POST /api/log/batch`), in order. Entries are checked first: if any is
   * invalid nothing is sent and the error names it (`entries[3].actorId is required`).
   *
   * @returns One result per entry; rejected entries are listed in `failedLogIndexes`.
   * @throws {@link ValidationError} for an invalid entry, an empty batch, more than `LIMITS.batchEntries` entries
   * or a body over `LIMITS.bodyBytes`; the errors of {@link AuditTrailClient.log} otherwise.
   */
  async logBatch(entries: readonly Entry[], options: RequestOptions = {}): Promise<BatchResponse> {
    const operation = 'logBatch';
    if (!Array.isArray(entries)) throw invalid(operation, 'entries', 'must be an array of entries');
    if (entries.length === 0) throw invalid(operation, 'entries', 'must hold at least one entry');
    if (entries.length > LIMITS.batchEntries) {
      throw new ValidationError(`${operation}: entries may hold at most ${LIMITS.batchEntries} entries, got ${entries.length}`, {
        code: 'batch_too_large',
        field: 'entries',
        operation,
      });
    }
    const json: string[] = [];
    let bytes = batchOverheadBytes(entries.length);
    entries.forEach((entry, index) => {
      const serialized = serializeEntry(entry, uuidv7);
      if (isValidationIssue(serialized)) throw ValidationError.fromIssue(serialized, { index, operation });
      json.push(serialized.json);
      bytes += serialized.bytes;
    });
    if (bytes > LIMITS.bodyBytes) {
      throw new ValidationError(`${operation}: the batch is ${bytes} bytes, more than the ${LIMITS.bodyBytes} allowed; send fewer entries`, {
        code: 'body_too_large',
        field: 'entries',
        operation,
      });
    }
    const request: WireRequest = { method: 'POST', path: PATHS.batch, headers: { ...JSON_HEADERS }, body: batchBody(json) };
    const { response, operation: context } = await this.#send(request, operation, options, true);
    return expectObject(response, context, ['results', 'failedLogIndexes']) as unknown as BatchResponse;
  }

  /**
   * One page of entries (`GET /api/entries`), newest first unless `order: 'asc'`.
   *
   * @throws {@link ValidationError} before any network call for a bad filter (`limit` outside 1..1000, a date that
   * is not ISO-8601 with a time zone, an unknown key); the HTTP errors of {@link AuditTrailClient.log}.
   */
  async listEntries(query: ListQuery = {}, options: RequestOptions = {}): Promise<ListResponse> {
    checkQuery(listQueryIssue(query), 'listEntries');
    const request: WireRequest = { method: 'GET', path: PATHS.entries + queryString(query), headers: {} };
    const { response, operation } = await this.#send(request, 'listEntries', options, true);
    const body = expectObject(response, operation, ['entries', 'nextCursor']);
    if (!Array.isArray(body['entries'])) throw unexpectedReply(response, operation);
    return body as unknown as ListResponse;
  }

  /**
   * Every entry matching the query, page after page (following `nextCursor`).
   *
   * @example
   * ```ts
   * for await (const entry of client.iterateEntries({ actorId: 'ada@example.com' })) console.log(entry.action);
   * ```
   * @throws The errors of {@link AuditTrailClient.listEntries}, when a page fails.
   */
  async *iterateEntries(query: ListQuery = {}, options: RequestOptions = {}): AsyncGenerator<StoredEntry, void, undefined> {
    checkQuery(listQueryIssue(query), 'iterateEntries');
    let cursor = query.cursor;
    for (;;) {
      const page = await this.listEntries(cursor === undefined ? query : { ...query, cursor }, options);
      yield* page.entries;
      if (page.nextCursor === null || page.nextCursor === undefined) return;
      if (page.nextCursor === cursor) {
        throw new AuditTrailError('iterateEntries: the service returned the same page cursor twice; stopping to avoid a loop', {
          operation: 'iterateEntries',
        });
      }
      cursor = page.nextCursor;
    }
  }

  /**
   * One entry by id (`GET /api/getEntryById?entryId=`).
   *
   * @throws {@link NotFoundError} when there is no such entry in this application; {@link ValidationError} for an
   * empty id; the HTTP errors of {@link AuditTrailClient.log}.
   */
  async getEntry(entryId: string, options: RequestOptions = {}): Promise<StoredEntry> {
    const id = checkId(entryId, 'entryId', 'getEntry');
    const request: WireRequest = { method: 'GET', path: PATHS.entryById + queryString({ entryId: id }), headers: {} };
    const { response, operation } = await this.#send(request, 'getEntry', options, true);
    return expectObject(response, operation, ['id', 'hash']) as unknown as StoredEntry;
  }

  /**
   * Asks the service to verify the application's chain (`GET /api/verification/chain`), optionally a range of it.
   * For a check that does not trust the service, use {@link AuditTrailClient.verifyLocally}.
   *
   * @throws {@link ValidationError} for a bad range; the HTTP errors of {@link AuditTrailClient.log}.
   */
  async verify(query: VerifyQuery = {}, options: RequestOptions = {}): Promise<VerifyResult> {
    checkQuery(verifyQueryIssue(query), 'verify');
    const request: WireRequest = { method: 'GET', path: PATHS.verifyChain + queryString(query), headers: {} };
    const { response, operation } = await this.#send(request, 'verify', options, true);
    return expectObject(response, operation, ['valid', 'checked']) as unknown as VerifyResult;
  }

  /**
   * Verifies the chain here, independently of the service: fetches the entries in chain order and recomputes
   * every hash with `verifyChain`, page by page. Removing the newest entries cannot be seen this way: compare
   * the returned `lastHash` with a receipt's `hash` you kept.
   *
   * @param query - The sequence range; the whole chain by default.
   * @throws {@link ValidationError} for a bad range; the errors of {@link AuditTrailClient.listEntries}.
   */
  async verifyLocally(query: VerifyQuery = {}, options: RequestOptions = {}): Promise<VerifyResult> {
    checkQuery(verifyQueryIssue(query), 'verifyLocally');
    const from = query.fromSequence ?? 1;
    const to = query.toSequence ?? Number.POSITIVE_INFINITY;
    // Streams entry by entry: goes on past a break, so every break (bounded) is reported, not just the first.
    let verification: ChainVerification | undefined;
    for await (const entry of this.iterateEntries({ order: 'asc', limit: LIMITS.pageSize }, options)) {
      if (entry.sequence < from) continue;
      if (entry.sequence > to) break;
      verification ??= new ChainVerification(from === 1 ? GENESIS_HASH : entry.previousHash, from);
      verification.add(entry);
    }
    return (verification ?? new ChainVerification(GENESIS_HASH, from)).result();
  }

  /**
   * Verifies a receipt by itself, without trusting the service's code (see docs/verification.md): the receipt's
   * checkpoint is signed by the service's key (pinned with the `verification.verifierKey` option, else trusted on
   * first use) and consistent with every checkpoint this client verified before; the stored entry matches the
   * receipt and its own hashes; and it is leaf `sequence - 1` of the signed tree (RFC 9162 inclusion proof).
   *
   * @throws {@link IntegrityError} (with its `reason`) when any check fails; the HTTP errors of
   * {@link AuditTrailClient.log} when the service cannot be asked.
   */
  async verifyReceipt(receipt: Receipt): Promise<ReceiptVerification> {
    if (!isObject(receipt)) throw invalid('verifyReceipt', 'receipt', 'must be a receipt object');
    for (const key of ['logEntryId', 'checkpoint', 'hash', 'standaloneHash', 'previousHash'] as const) {
      if (typeof receipt[key] !== 'string' || receipt[key] === '') throw invalid('verifyReceipt', key, 'must be a non-empty string');
    }
    for (const key of ['sequence', 'treeSize'] as const) {
      if (!Number.isSafeInteger(receipt[key]) || receipt[key] < 1) throw invalid('verifyReceipt', key, 'must be a positive integer');
    }
    return this.#log.verifyReceipt(receipt);
  }

  /**
   * The service's latest checkpoint, verified by this client: signed by the trusted key, and consistent with the
   * last checkpoint it verified (kept in memory, and in `verification.stateFile` when given), which it replaces.
   * Call it on every visit: a rewrite, fork or truncation since the last one raises an {@link IntegrityError}.
   *
   * @throws {@link IntegrityError} when the check fails; the HTTP errors of {@link AuditTrailClient.log}.
   */
  async latestCheckpoint(): Promise<VerifiedCheckpoint> {
    return this.#log.latestCheckpoint();
  }

  /**
   * Verifies the latest checkpoint ({@link AuditTrailClient.latestCheckpoint}), then recomputes its tree's root
   * here from every entry the service lists and compares it with the signed root. Reads the whole trail.
   *
   * @throws {@link IntegrityError} (`root_mismatch` when the listed entries are not the signed tree).
   */
  async verifyTreeLocally(): Promise<LocalTreeVerification> {
    return this.#log.verifyTreeLocally();
  }

  /**
   * The signed head of the application's Merkle tree, as the service sends it (`GET
   * /api/verification/merkle/latestTreeHead`), unverified: {@link AuditTrailClient.latestCheckpoint} verifies it.
   */
  async latestTreeHead(options: RequestOptions = {}): Promise<TreeHead> {
    const { response, operation } = await this.#send({ method: 'GET', path: PATHS.latestTreeHead, headers: {} }, 'latestTreeHead', options, true);
    return expectObject(response, operation, ['treeSize', 'checkpoint']) as unknown as TreeHead;
  }

  /** The application's log origin and the service's verifier key (`GET /api/verification/merkle/info`), unverified. */
  async merkleInfo(options: RequestOptions = {}): Promise<MerkleInfo> {
    const { response, operation } = await this.#send({ method: 'GET', path: PATHS.merkleInfo, headers: {} }, 'merkleInfo', options, true);
    return expectObject(response, operation, ['origin', 'verifierKey']) as unknown as MerkleInfo;
  }

  /**
   * An RFC 9162 inclusion proof of an entry (by `entryId` or `sequence`) in a tree size (default: the latest),
   * unverified: {@link AuditTrailClient.verifyReceipt} verifies one.
   *
   * @throws {@link ValidationError} unless exactly one of `entryId` and `sequence` is given; the HTTP errors of
   * {@link AuditTrailClient.log}.
   */
  async inclusionProof(query: InclusionProofQuery, options: RequestOptions = {}): Promise<InclusionProof> {
    const operation = 'inclusionProof';
    if (!isObject(query) || (query.entryId === undefined) === (query.sequence === undefined)) {
      throw invalid(operation, 'entryId', 'or sequence must be given, not both');
    }
    if (query.sequence !== undefined && (!Number.isSafeInteger(query.sequence) || query.sequence < 1)) throw invalid(operation, 'sequence', 'must be a positive integer');
    if (query.treeSize !== undefined && (!Number.isSafeInteger(query.treeSize) || query.treeSize < 1)) throw invalid(operation, 'treeSize', 'must be a positive integer');
    const id = query.entryId === undefined ? undefined : checkId(query.entryId, 'entryId', operation);
    const params = { ...(id === undefined ? {} : { entryId: id }), ...(query.sequence === undefined ? {} : { sequence: query.sequence }), ...(query.treeSize === undefined ? {} : { treeSize: query.treeSize }) };
    const { response, operation: context } = await this.#send({ method: 'GET', path: PATHS.inclusionProof + queryString(params), headers: {} }, operation, options, true);
    return expectObject(response, context, ['auditPath', 'treeSize']) as unknown as InclusionProof;
  }

  /**
   * An RFC 9162 consistency proof from `firstTreeSize` to `secondTreeSize` (default: the latest), unverified:
   * {@link AuditTrailClient.latestCheckpoint} verifies one against the last checkpoint it saw.
   *
   * @throws {@link ValidationError} for a size that is not a non-negative integer; the HTTP errors of
   * {@link AuditTrailClient.log}.
   */
  async consistencyProof(query: ConsistencyProofQuery, options: RequestOptions = {}): Promise<ConsistencyProof> {
    const operation = 'consistencyProof';
    if (!isObject(query)) throw invalid(operation, 'query', 'must be an object');
    for (const key of ['firstTreeSize', 'secondTreeSize'] as const) {
      const value = query[key];
      if ((value !== undefined || key === 'firstTreeSize') && (!Number.isSafeInteger(value) || (value as number) < 0)) {
        throw invalid(operation, key, 'must be a non-negative integer');
      }
    }
    const params = { firstTreeSize: query.firstTreeSize, ...(query.secondTreeSize === undefined ? {} : { secondTreeSize: query.secondTreeSize }) };
    const { response, operation: context } = await this.#send({ method: 'GET', path: PATHS.consistencyProof + queryString(params), headers: {} }, operation, options, true);
    return expectObject(response, context, ['consistencyPath']) as unknown as ConsistencyProof;
  }

  /**
   * Checks the credentials (`GET /api/auth/check`): cheap, and says whose they are.
   *
   * @throws {@link AuthenticationError} when they are wrong; {@link NetworkError} when the service is unreachable.
   */
  async checkAuth(options: RequestOptions = {}): Promise<AuthCheckResponse> {
    const { response, operation } = await this.#send({ method: 'GET', path: PATHS.authCheck, headers: {} }, 'checkAuth', options, true);
    return expectObject(response, operation, ['organizationId', 'applicationId']) as unknown as AuthCheckResponse;
  }

  /** The organization's applications (`GET /api/applications`). @throws The HTTP errors of {@link AuditTrailClient.log}. */
  async listApplications(options: RequestOptions = {}): Promise<ApplicationsResponse> {
    const { response, operation } = await this.#send({ method: 'GET', path: PATHS.applications, headers: {} }, 'listApplications', options, true);
    return expectObject(response, operation, ['applications']) as unknown as ApplicationsResponse;
  }

  /** The distinct actions recorded in the application (`GET /api/actions`). @throws The HTTP errors of {@link AuditTrailClient.log}. */
  async listActions(options: RequestOptions = {}): Promise<ActionsResponse> {
    const { response, operation } = await this.#send({ method: 'GET', path: PATHS.actions, headers: {} }, 'listActions', options, true);
    return expectObject(response, operation, ['actions']) as unknown as ActionsResponse;
  }

  /**
   * Subscribes a webhook (`POST /api/hooks`): each new matching entry is POSTed to `targetUrl`.
   *
   * @throws {@link ValidationError} when `targetUrl` is not an http(s) URL or a filter is empty; the HTTP errors of
   * {@link AuditTrailClient.log}.
   */
  async subscribeHook(request: CreateHookRequest, options: RequestOptions = {}): Promise<HookSubscription> {
    const operation = 'subscribeHook';
    if (!isObject(request)) throw invalid(operation, 'request', 'must be an object');
    let url: URL | undefined;
    try {
      url = new URL(String(request.targetUrl));
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw invalid(operation, 'targetUrl', 'must be an http:// or https:// URL');
    for (const key of ['actorId', 'action', 'entityType'] as const) {
      const value: unknown = request[key];
      if (value !== undefined && (typeof value !== 'string' || value === '')) throw invalid(operation, key, 'must be non-empty text');
    }
    const body: CreateHookRequest = { targetUrl: request.targetUrl };
    if (request.actorId !== undefined) body.actorId = request.actorId;
    if (request.action !== undefined) body.action = request.action;
    if (request.entityType !== undefined) body.entityType = request.entityType;
    const wire: WireRequest = { method: 'POST', path: PATHS.hooks, headers: { ...JSON_HEADERS }, body: JSON.stringify(body) };
    // Not retried: a lost reply would leave a second subscription behind.
    const { response, operation: context } = await this.#send(wire, operation, options, false);
    return expectObject(response, context, ['id', 'targetUrl']) as unknown as HookSubscription;
  }

  /**
   * Removes a webhook subscription (`DELETE /api/hooks/{id}`).
   *
   * @throws {@link NotFoundError} when there is no such subscription; the HTTP errors of {@link AuditTrailClient.log}.
   */
  async unsubscribeHook(id: string, options: RequestOptions = {}): Promise<void> {
    const hookId = checkId(id, 'id', 'unsubscribeHook');
    await this.#send({ method: 'DELETE', path: PATHS.hook(hookId), headers: {} }, 'unsubscribeHook', options, true);
  }

  /**
   * Drains the `enqueue` queue (up to `timeoutMs`, default 30 s), then releases the pooled connections. Later
   * calls fail with an {@link AuditTrailError}. Safe to call twice (the second call gets the same result).
   *
   * @returns Whether the queue drained, and exactly which entries were not delivered (with a spool, they stay in
   * it for the next start).
   */
  close(options: CloseOptions = {}): Promise<CloseResult> {
    this.#closing ??= (async () => {
      const result = (await this.#publisher?.close(options)) ?? { drained: true, undelivered: [], failed: [], keptInSpool: false };
      // log() calls already accepted (some waiting to share a request) are sent and settled before the pool goes.
      await this.#coalescer?.idle();
      this.#closed = true;
      this.#transport.close();
      return result;
    })();
    return this.#closing;
  }

  /**
   * Sends one request and maps anything but a 2xx to a typed error. Every method goes through here, so this is
   * where retries happen: a `retryable` request that failed on the network (an abort by the caller's signal
   * excepted) or got 408/425/429/5xx is sent again, up to `maxRetries` times, after the delivery pipeline's
   * jittered backoff (`retryDelayMs`, which honours `Retry-After`).
   */
  async #send(
    request: WireRequest,
    name: string,
    options: RequestOptions,
    retryable: boolean,
  ): Promise<{ response: TransportResponse; operation: OperationContext }> {
    const operation: OperationContext = { name, method: request.method, path: request.path };
    if (this.#closed) throw new ClientClosedError(`${name}: the client is closed`, { operation });
    const { signal, timeoutMs = this.#timeoutMs } = checkRequestOptions(options, name);
    const maxRetries = retryable ? (options.maxRetries ?? this.#maxRetries) : 0;
    const sendOptions: SendOptions = signal ? { timeoutMs, signal } : { timeoutMs };
    for (let attempt = 0; ; attempt++) {
      let failure: AuditTrailError;
      let retryAfter: string | undefined;
      let response: TransportResponse | undefined;
      try {
        response = await this.#transport.send(request, sendOptions);
      } catch (error) {
        failure = this.#fromTransportFailure(error, operation);
      }
      if (response) {
        if (response.status >= 200 && response.status < 300) return { response, operation };
        failure = this.#scrub(errorFromResponse(response.status, response.body, response.headers, operation));
        if (!shouldRetry(response.status)) throw failure;
        retryAfter = headerValue(response.headers, HEADERS.retryAfter);
      }
      failure ??= new NetworkError(`${name} failed`, { code: 'ENETWORK', operation });
      if (attempt >= maxRetries || signal?.aborted) throw failure;
      const delayMs = retryDelayMs(attempt, retryAfter, this.#delivery.retry);
      try {
        await sleep(delayMs, undefined, signal ? { signal } : undefined);
      } catch {
        throw failure;
      }
    }
  }

  #fromTransportFailure(error: unknown, operation: OperationContext): AuditTrailError {
    if (error instanceof NetworkError) {
      return this.#scrub(new NetworkError(`${operation.name} failed: ${error.message}`, {
        code: error.code,
        operation,
        ...(error.cause instanceof Error ? { cause: error.cause } : {}),
      }));
    }
    if (error instanceof AuditTrailError) return this.#scrub(error);
    // A custom transport broke its contract: keep only a message, never the raw error (it may hold headers).
    const message = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
    return this.#scrub(new NetworkError(`${operation.name} failed: the transport failed (${message})`, {
      code: 'ENETWORK',
      operation,
    }));
  }

  /** Defence in depth: nothing the service or a transport echoes may carry the secret into an error. */
  #scrub<E extends AuditTrailError>(error: E): E {
    for (const secret of this.#secrets) {
      if (secret.length < 4 || !error.message.includes(secret)) continue;
      error.message = error.message.split(secret).join('[redacted]');
      if (error.stack !== undefined) error.stack = error.stack.split(secret).join('[redacted]');
    }
    return error;
  }

  /** What `util.inspect` and `console.log` show: where and whose, never the secret. */
  [inspect.custom](): string {
    return `AuditTrailClient { baseUrl: '${this.#baseUrl}', organizationId: '${this.#organizationId}', applicationId: '${this.#applicationId}' }`;
  }

  /** What `JSON.stringify(client)` shows: where and whose, never the secret. */
  toJSON(): { baseUrl: string; organizationId: string; applicationId: string } {
    return { baseUrl: this.#baseUrl, organizationId: this.#organizationId, applicationId: this.#applicationId };
  }
}
