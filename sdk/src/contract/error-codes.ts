/** The machine-readable error codes of the wire contract. Plain data (no TypeBox), safe on the SDK's hot path. */

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
  'bad_request',
  'method_not_allowed',
  'request_timeout',
  'uri_too_long',
  'headers_too_large',
  'expectation_failed',
  'service_unavailable',
  'target_not_allowed',
  'hook_limit_reached',
  'invalid_range',
  'forbidden',
  'conflict',
] as const;

/** A machine-readable error code. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * The HTTP status the service answers each code with. The server's error table takes its statuses from here, and
 * the SDK reads a per-entry rejection inside a batch reply (which has no status of its own) as the error the
 * single-entry route would have answered with.
 */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  missing_field: 400,
  invalid_field: 400,
  field_too_long: 400,
  details_not_serializable: 400,
  details_too_large: 413,
  body_too_large: 413,
  batch_too_large: 413,
  malformed_json: 400,
  unsupported_media_type: 415,
  unauthorized: 401,
  unknown_application: 403,
  not_found: 404,
  rate_limited: 429,
  idempotency_conflict: 409,
  internal_error: 500,
  invalid_unicode: 400,
  invalid_number: 400,
  duplicate_key: 400,
  bad_request: 400,
  method_not_allowed: 405,
  request_timeout: 408,
  uri_too_long: 414,
  headers_too_large: 431,
  expectation_failed: 417,
  service_unavailable: 503,
  target_not_allowed: 422,
  hook_limit_reached: 409,
  invalid_range: 400,
  forbidden: 403,
  conflict: 409,
};
