/**
 * The errors the SDK throws. Every failure is an {@link AuditTrailError}; the subclass says what kind, and
 * {@link errorFromResponse} is the one place that turns an HTTP reply into one. Messages are written for the
 * person who will read them (the Zapier app shows them to end users): they name the operation and the path,
 * never a credential.
 *
 * @packageDocumentation
 */
import { HEADERS } from './contract/endpoints.js';
import type { ErrorCode } from './contract/error-codes.js';
import { readErrorBody } from './contract/error-body.js';
import type { ValidationIssue } from './contract/validation.js';

/** Codes of {@link NetworkError}: the system error that kept a response from arriving. */
export type NetworkErrorCode =
  | 'ETIMEDOUT'
  | 'ECONNRESET'
  | 'ECONNREFUSED'
  | 'ENOTFOUND'
  | 'EAI_AGAIN'
  | 'EHOSTUNREACH'
  | 'ENETUNREACH'
  | 'EPIPE'
  | 'ABORTED'
  | 'ENETWORK';

/** The request an error is about: the SDK operation and the HTTP method and path it used. */
export interface OperationContext {
  /** The operation, as the caller knows it (e.g. `log`, `Log Entry`). */
  name: string;
  /** HTTP method. */
  method: string;
  /** Path below the base URL; any query string is left out of messages. */
  path: string;
}

/** Options shared by the constructors of every {@link AuditTrailError}. */
export interface AuditTrailErrorOptions {
  /** Machine-readable code: the server's {@link ErrorCode}, or a {@link NetworkErrorCode}. */
  code?: ErrorCode | NetworkErrorCode;
  /** HTTP status of the reply, when there was one. */
  status?: number;
  /** The operation the error is about. */
  operation?: OperationContext | string;
  /** The underlying error. Never an HTTP-library error (its config holds the Authorization header). */
  cause?: Error;
}

/**
 * Marks every {@link AuditTrailError}. `Symbol.for` is shared by every copy of this package loaded in a process
 * (two versions side by side, or the CJS and ESM builds), where `instanceof` only knows its own copy's classes.
 */
const ERROR_BRAND = Symbol.for('@audit-trail/sdk.error');

/** Base class of every error the SDK throws. */
export class AuditTrailError extends Error {
  // Optional members are `declare`d and set only when known, so logs show no `code: undefined` noise.
  /** The class name, for logs and `instanceof`-free checks. */
  override name: string = 'AuditTrailError';
  /** Machine-readable code: the server's {@link ErrorCode}, or a {@link NetworkErrorCode} for network failures. */
  declare readonly code?: ErrorCode | NetworkErrorCode;
  /** HTTP status of the reply, when there was one. */
  declare readonly status?: number;
  /** Name of the operation that failed (e.g. `log`), when known. */
  declare readonly operation?: string;

  /**
   * @param message - A complete sentence for a person; must not contain a credential.
   * @param options - Code, status, operation and cause.
   */
  constructor(message: string, options: AuditTrailErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    // Not enumerable: it stays out of logs and toJSON.
    Object.defineProperty(this, ERROR_BRAND, { value: true });
    if (options.code !== undefined) this.code = options.code;
    if (options.status !== undefined) this.status = options.status;
    if (options.operation !== undefined) {
      this.operation = typeof options.operation === 'string' ? options.operation : options.operation.name;
    }
  }

  /** A plain summary for structured logs (`JSON.stringify(error)`). */
  toJSON(): Record<string, unknown> {
    const fields: Record<string, unknown> = Object.fromEntries(Object.entries(this));
    return { ...fields, name: this.name, message: this.message };
  }
}

/** The credentials were rejected (401) or may not be used for this application or operation (403). */
export class AuthenticationError extends AuditTrailError {
  override name = 'AuthenticationError' as const;
}

/** Too many requests (429). Wait {@link RateLimitError.retryAfterMs} before trying again. */
export class RateLimitError extends AuditTrailError {
  override name = 'RateLimitError' as const;
  /** How long the service asked to wait (from `Retry-After`), in milliseconds; `undefined` when it did not say. */
  declare readonly retryAfterMs?: number;

  /**
   * @param message - A complete sentence for a person.
   * @param retryAfterMs - The wait the service asked for, in milliseconds.
   * @param options - Code, status, operation.
   */
  constructor(message: string, retryAfterMs: number | undefined, options: AuditTrailErrorOptions = {}) {
    super(message, options);
    if (retryAfterMs !== undefined) this.retryAfterMs = retryAfterMs;
  }
}

/** Options of {@link ValidationError}. */
export interface ValidationErrorOptions extends AuditTrailErrorOptions {
  /** The field at fault (an entry field, a query parameter or an option). */
  field?: string;
  /** In a batch, the index of the entry at fault. */
  index?: number;
}

/**
 * The input was rejected: locally before any network call, or by the service (400, 413, 415, 422). `code` is the
 * {@link ErrorCode} (the server's when the service rejected it) and `field` names what to fix.
 */
export class ValidationError extends AuditTrailError {
  override name = 'ValidationError' as const;
  /** The field at fault (an entry field, a query parameter or an option), when known. */
  declare readonly field?: string;
  /** In a batch, the index of the entry at fault. */
  declare readonly index?: number;

  /**
   * @param message - A complete sentence for a person.
   * @param options - Code, field, index, status, operation.
   */
  constructor(message: string, options: ValidationErrorOptions = {}) {
    super(message, options);
    if (options.field !== undefined) this.field = options.field;
    if (options.index !== undefined) this.index = options.index;
  }

  /**
   * The error for a local {@link ValidationIssue}. With `index`, the message names the entry of the batch, as in
   * `entries[3].actorId is required`.
   */
  static fromIssue(issue: ValidationIssue, context: { index?: number; operation?: string } = {}): ValidationError {
    const options: ValidationErrorOptions = { code: issue.code, field: issue.field };
    if (context.operation !== undefined) options.operation = context.operation;
    if (context.index === undefined) return new ValidationError(issue.message, options);
    options.index = context.index;
    const prefix = `entries[${context.index}]`;
    const named = new RegExp(`\\b${issue.field}\\b`);
    const message = named.test(issue.message)
      ? issue.message.replace(named, `${prefix}.${issue.field}`)
      : `${prefix}: ${issue.message}`;
    return new ValidationError(message, options);
  }
}

/** The entry, application or subscription does not exist (404). */
export class NotFoundError extends AuditTrailError {
  override name = 'NotFoundError' as const;
}

/** The request conflicts with what is stored (409), e.g. an idempotency key reused for a different entry. */
export class ConflictError extends AuditTrailError {
  override name = 'ConflictError' as const;
}

/** The service failed (5xx). Usually temporary: retrying later may succeed. */
export class ServerError extends AuditTrailError {
  override name = 'ServerError' as const;
}

/** No response arrived: timeout, connection reset or refused, DNS failure, or the request was aborted. */
export class NetworkError extends AuditTrailError {
  override name = 'NetworkError' as const;
  declare readonly code: NetworkErrorCode;

  /**
   * @param message - A complete sentence for a person.
   * @param options - The network code, the operation and a sanitised cause (message and code only).
   */
  constructor(message: string, options: AuditTrailErrorOptions & { code: NetworkErrorCode }) {
    super(message, options);
  }
}

/**
 * Why the client refused what the service showed it ({@link IntegrityError}):
 * - `unknown_key`: the checkpoint is not signed by the trusted key (pinned, or remembered from the first visit);
 * - `bad_signature`: a signature by the trusted key does not verify;
 * - `key_changed`: the service now publishes another verifier key than the pinned or remembered one;
 * - `malformed_checkpoint`: not a C2SP checkpoint, or not the application's origin;
 * - `tree_truncated`: the tree is smaller than one the client verified before (entries were removed);
 * - `inconsistent`: the tree does not extend the one the client verified before (entries were rewritten: a fork);
 * - `inclusion_failed`: the entry is not in the signed tree at its position;
 * - `entry_mismatch`: the stored entry does not match its receipt or its own hashes;
 * - `root_mismatch`: the entries the service lists do not hash to the root it signed.
 */
export type IntegrityFailureReason =
  | 'unknown_key'
  | 'bad_signature'
  | 'key_changed'
  | 'malformed_checkpoint'
  | 'tree_truncated'
  | 'inconsistent'
  | 'inclusion_failed'
  | 'entry_mismatch'
  | 'root_mismatch';

/**
 * The service's trail failed a check the client ran by itself: a checkpoint, a proof or an entry does not match
 * what the client verified before. Not retryable: it means the trail was changed (or the client talks to another
 * service). `reason` says which check failed; see docs/verification.md for what each one detects.
 */
export class IntegrityError extends AuditTrailError {
  override name = 'IntegrityError' as const;
  /** Which check failed. */
  readonly reason: IntegrityFailureReason;

  /**
   * @param reason - Which check failed.
   * @param message - A complete sentence for a person.
   * @param options - Operation.
   */
  constructor(reason: IntegrityFailureReason, message: string, options: AuditTrailErrorOptions = {}) {
    super(message, options);
    this.reason = reason;
  }
}

/** Is this an error of this package, from this copy (`instanceof`) or another copy (brand and `name`)? */
function isBranded(value: unknown, names: ReadonlySet<string> | undefined): boolean {
  if (typeof value !== 'object' || value === null || (value as Record<symbol, unknown>)[ERROR_BRAND] !== true) return false;
  const name = (value as { name?: unknown }).name;
  return typeof name === 'string' && (names === undefined || names.has(name));
}

/** Type guard: is this one of the SDK's errors? Works across copies of the package (see {@link ERROR_BRAND}). */
export function isAuditTrailError(value: unknown): value is AuditTrailError {
  return value instanceof AuditTrailError || isBranded(value, undefined);
}

const guard =
  <E extends AuditTrailError>(type: abstract new (...args: never[]) => E, name: string) =>
  (value: unknown): value is E =>
    value instanceof type || isBranded(value, new Set([name]));

/** Type guard: is this a {@link ValidationError}? Compares `error.name` too, so it works across package copies. */
export const isValidationError: (value: unknown) => value is ValidationError = guard(ValidationError, 'ValidationError');
/** Type guard: is this a {@link RateLimitError}? Compares `error.name` too, so it works across package copies. */
export const isRateLimitError: (value: unknown) => value is RateLimitError = guard(RateLimitError, 'RateLimitError');
/** Type guard: is this a {@link NetworkError}? Compares `error.name` too, so it works across package copies. */
export const isNetworkError: (value: unknown) => value is NetworkError = guard(NetworkError, 'NetworkError');
/** Type guard: is this an {@link AuthenticationError}? Compares `error.name` too, so it works across package copies. */
export const isAuthenticationError: (value: unknown) => value is AuthenticationError = guard(AuthenticationError, 'AuthenticationError');
/** Type guard: is this a {@link NotFoundError}? Compares `error.name` too, so it works across package copies. */
export const isNotFoundError: (value: unknown) => value is NotFoundError = guard(NotFoundError, 'NotFoundError');
/** Type guard: is this a {@link ConflictError}? Compares `error.name` too, so it works across package copies. */
export const isConflictError: (value: unknown) => value is ConflictError = guard(ConflictError, 'ConflictError');
/** Type guard: is this a {@link ServerError}? Compares `error.name` too, so it works across package copies. */
export const isServerError: (value: unknown) => value is ServerError = guard(ServerError, 'ServerError');
/** Type guard: is this an {@link IntegrityError}? Compares `error.name` too, so it works across package copies. */
export const isIntegrityError: (value: unknown) => value is IntegrityError = guard(IntegrityError, 'IntegrityError');

/** Response headers as any HTTP client gives them (names in any case). */
export type ResponseHeaders = Readonly<Record<string, string | readonly string[] | number | undefined>>;

/** Reads one header, whatever the case of its name. */
export function headerValue(headers: ResponseHeaders | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return Array.isArray(value) ? value.join(', ') : String(value);
  }
  return undefined;
}

/**
 * Milliseconds to wait according to a `Retry-After` value: delay-seconds (`"120"`, `"1.5"`) or an HTTP date.
 * A date in the past gives 0; a missing or unreadable value gives `undefined`.
 */
export function parseRetryAfterMs(value: string | undefined, nowMs: number = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** `log (POST /api/log/a/b)`: the operation and its path, without the query string. */
export function describeOperation(operation: OperationContext | string): string {
  if (typeof operation === 'string') return operation;
  const path = operation.path.split('?')[0];
  return `${operation.name} (${operation.method} ${path})`;
}

const withPeriod = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`);

/**
 * The error for a reply that is not a success. Reads our `{ error: { code, message, field } }` body when there is
 * one (the service's message is included; it never holds a credential), and `Retry-After` on 429.
 *
 * @param status - HTTP status of the reply.
 * @param body - The reply's body: parsed JSON or text (text is not echoed into the message).
 * @param headers - The reply's headers, names in any case.
 * @param operation - What was being done, e.g. `{ name: 'log', method: 'POST', path: '/api/log/a/b' }`.
 */
export function errorFromResponse(
  status: number,
  body: unknown,
  headers: ResponseHeaders | undefined,
  operation: OperationContext | string,
): AuditTrailError {
  const server = readErrorBody(body) ?? {};
  const where = `${describeOperation(operation)} failed with HTTP ${status}`;
  const detail = server.message ? ` ${withPeriod(server.message)}` : '';
  const options: AuditTrailErrorOptions = { status, operation };
  if (server.code !== undefined) options.code = server.code;

  if (status === 401) {
    return new AuthenticationError(
      `${where}: the organization ID or API secret was not accepted.${detail}`,
      { ...options, code: server.code ?? 'unauthorized' },
    );
  }
  if (status === 403) {
    return new AuthenticationError(
      `${where}: these credentials may not be used for this application.${detail}`,
      { ...options, code: server.code ?? 'unauthorized' },
    );
  }
  if (status === 404) {
    return new NotFoundError(`${where}: not found.${detail}`, { ...options, code: server.code ?? 'not_found' });
  }
  if (status === 409) {
    return new ConflictError(`${where}: it conflicts with what is already stored.${detail}`, options);
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfterMs(headerValue(headers, HEADERS.retryAfter));
    const wait = retryAfterMs === undefined ? 'Try again later.' : `Try again in ${Math.ceil(retryAfterMs / 1000)} s.`;
    return new RateLimitError(`${where}: too many requests.${detail} ${wait}`, retryAfterMs, {
      ...options,
      code: server.code ?? 'rate_limited',
    });
  }
  if (status === 400 || status === 413 || status === 415 || status === 422) {
    const fallback: Partial<Record<number, ErrorCode>> = { 413: 'body_too_large', 415: 'unsupported_media_type' };
    const code = server.code ?? fallback[status] ?? 'invalid_field';
    const validation: ValidationErrorOptions = { ...options, code };
    if (server.field !== undefined) validation.field = server.field;
    return new ValidationError(`${where}: the service rejected the input.${detail || ' It did not say why.'}`, validation);
  }
  if (status >= 500) {
    return new ServerError(`${where}: the audit-trail service had a problem.${detail} Retrying later may help.`, options);
  }
  if (status >= 300 && status < 400) {
    // Redirects are not followed: they would carry the credentials to another address.
    const location = headerValue(headers, 'location');
    const target = location ? ` to ${location.split('?')[0]}` : '';
    return new AuditTrailError(
      `${where}: the service redirected${target}, which is not followed. Check the base URL (http:// or https://, path).`,
      options,
    );
  }
  return new AuditTrailError(`${where}: unexpected reply.${detail}`, options);
}
