/**
 * The server's error table: every {@link ErrorCode} of the contract has exactly one HTTP status and a default
 * message. `Record<ErrorCode, …>` makes the table exhaustive at compile time, so a new code cannot be half-added.
 */
import type { FastifyReply } from 'fastify';
import type { ErrorBody, ErrorCode } from '@audit-trail/sdk/contract';
import { ERROR_CODES, ERROR_STATUS, LIMITS } from '@audit-trail/sdk/contract';

/** Status and default message of one error code. */
export interface ErrorSpec {
  /** The HTTP status the server replies with. */
  status: number;
  /** The message used when the thrower gives none. */
  message: string;
}

/** The default message of every error code the server can reply with. */
const ERROR_MESSAGES: Readonly<Record<ErrorCode, string>> = {
  missing_field: 'A required field is missing',
  invalid_field: 'A field is invalid',
  field_too_long: 'A field is too long',
  details_not_serializable: 'The details cannot be serialised to JSON',
  details_too_large: `The details exceed ${LIMITS.detailsBytes} bytes`,
  body_too_large: `The request body exceeds ${LIMITS.bodyBytes} bytes`,
  batch_too_large: `A batch holds at most ${LIMITS.batchEntries} entries`,
  malformed_json: 'The request body is not valid JSON',
  unsupported_media_type: 'Unsupported Content-Type',
  unauthorized: 'Missing or invalid credentials (HTTP Basic organizationId:apiSecret)',
  unknown_application: 'The Application-Id header does not name an application of this organization',
  not_found: 'Not found',
  rate_limited: 'Too many requests',
  idempotency_conflict: 'The idempotency key is already in use',
  internal_error: 'Internal server error',
  invalid_unicode: 'A text is not well-formed Unicode (a lone UTF-16 surrogate or invalid UTF-8)',
  invalid_number: 'A number cannot be stored exactly (not finite, or beyond ±(2^53−1), or more precise than a double)',
  duplicate_key: 'A JSON object has the same key twice',
  bad_request: 'The request is not valid HTTP',
  method_not_allowed: 'This route does not take that method',
  request_timeout: 'The request took too long to arrive',
  uri_too_long: 'The URL is too long',
  headers_too_large: 'The request line and headers are too large',
  expectation_failed: 'Only "Expect: 100-continue" is supported',
  service_unavailable: 'The server is busy; retry after the delay in Retry-After',
  target_not_allowed: 'The webhook target is not allowed',
  hook_limit_reached: 'The application has as many webhook subscriptions as it may have',
  invalid_range: 'The range is outside the chain',
  forbidden: 'Not allowed',
  conflict: 'Already exists',
};

/** Every error code the server can reply with: its status (the contract's {@link ERROR_STATUS}) and default message. */
export const ERROR_TABLE: Readonly<Record<ErrorCode, ErrorSpec>> = Object.fromEntries(
  ERROR_CODES.map((code) => [code, { status: ERROR_STATUS[code], message: ERROR_MESSAGES[code] }]),
) as Record<ErrorCode, ErrorSpec>;

/** An error a handler throws on purpose; the error handler turns it into `{ error: { code, message, field? } }`. */
export class ApiError extends Error {
  override name = 'ApiError' as const;
  /** The HTTP status, from {@link ERROR_TABLE}. */
  readonly statusCode: number;

  constructor(
    /** The stable error code. */
    readonly code: ErrorCode,
    message?: string,
    /** The field at fault, when there is one. */
    readonly field?: string,
  ) {
    super(message ?? ERROR_TABLE[code].message);
    this.statusCode = ERROR_TABLE[code].status;
  }
}

/** The JSON body of an error reply. */
export function errorBody(code: ErrorCode, message?: string, field?: string): ErrorBody {
  const error: ErrorBody['error'] = { code, message: message ?? ERROR_TABLE[code].message };
  if (field !== undefined) error.field = field;
  return { error };
}

/** Sends an error reply with the status of `code`. */
export function sendError(reply: FastifyReply, code: ErrorCode, message?: string, field?: string): FastifyReply {
  return reply.code(ERROR_TABLE[code].status).send(errorBody(code, message, field));
}
