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
