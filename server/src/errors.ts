/**
 * The server's error table: every {@link ErrorCode} of the contract has exactly one HTTP status and a default
 * message. `Record<ErrorCode, …>` makes the table exhaustive at compile time, so a new code cannot be half-added.
 */
import type { FastifyReply } from 'fastify';
import type { ErrorBody, ErrorCode } from '@audit-trail/sdk/contract';
import { LIMITS } from '@audit-trail/sdk/contract';

/** Status and default message of one error code. */
export interface ErrorSpec {
  /** The HTTP status the server replies with. */
  status: number;
  /** The message used when the thrower gives none. */
  message: string;
}

/** Every error code the server can reply with, and its status. */
export const ERROR_TABLE: Readonly<Record<ErrorCode, ErrorSpec>> = {
  missing_field: { status: 400, message: 'A required field is missing' },
  invalid_field: { status: 400, message: 'A field is invalid' },
  field_too_long: { status: 400, message: 'A field is too long' },
  details_not_serializable: { status: 400, message: 'The details cannot be serialised to JSON' },
  details_too_large: { status: 413, message: `The details exceed ${LIMITS.detailsBytes} bytes` },
  body_too_large: { status: 413, message: `The request body exceeds ${LIMITS.bodyBytes} bytes` },
  batch_too_large: { status: 413, message: `A batch holds at most ${LIMITS.batchEntries} entries` },
  malformed_json: { status: 400, message: 'The request body is not valid JSON' },
  unsupported_media_type: { status: 415, message: 'Unsupported Content-Type' },
  unauthorized: { status: 401, message: 'Missing or invalid credentials (HTTP Basic organizationId:apiSecret)' },
  unknown_application: { status: 403, message: 'The Application-Id header does not name an application of this organization' },
  not_found: { status: 404, message: 'Not found' },
  rate_limited: { status: 429, message: 'Too many requests' },
  idempotency_conflict: { status: 409, message: 'The idempotency key is already in use' },
  internal_error: { status: 500, message: 'Internal server error' },
  invalid_unicode: { status: 400, message: 'A text is not well-formed Unicode (a lone UTF-16 surrogate or invalid UTF-8)' },
  invalid_number: { status: 400, message: 'A number cannot be stored exactly (not finite, or beyond ±(2^53−1), or more precise than a double)' },
  duplicate_key: { status: 400, message: 'A JSON object has the same key twice' },
  bad_request: { status: 400, message: 'The request is not valid HTTP' },
  method_not_allowed: { status: 405, message: 'This route does not take that method' },
  request_timeout: { status: 408, message: 'The request took too long to arrive' },
  uri_too_long: { status: 414, message: 'The URL is too long' },
  headers_too_large: { status: 431, message: 'The request line and headers are too large' },
  expectation_failed: { status: 417, message: 'Only "Expect: 100-continue" is supported' },
  service_unavailable: { status: 503, message: 'The server is busy; retry after the delay in Retry-After' },
  target_not_allowed: { status: 422, message: 'The webhook target is not allowed' },
  hook_limit_reached: { status: 409, message: 'The application has as many webhook subscriptions as it may have' },
  invalid_range: { status: 400, message: 'The range is outside the chain' },
  forbidden: { status: 403, message: 'Not allowed' },
  conflict: { status: 409, message: 'Already exists' },
};

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
