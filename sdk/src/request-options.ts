/**
 * Options of one call (`client.log(entry, { signal, timeoutMs })`), as openai-node and the WorkOS SDK take them:
 * they override the client's options for that call only.
 *
 * @packageDocumentation
 */
import { ValidationError } from './errors.js';

/** Options of one call of an {@link AuditTrailClient} method. */
export interface RequestOptions {
  /**
   * Aborts the call (the request in flight and any wait before a retry); it then fails with a `NetworkError`
   * whose code is `ABORTED`.
   */
  signal?: AbortSignal;
  /**
   * Deadline of each attempt, from sending to the whole response, in milliseconds.
   * @default the client's `timeoutMs`
   */
  timeoutMs?: number;
  /**
   * Retries of this call (0 turns them off).
   * @default the client's `maxRetries`
   */
  maxRetries?: number;
}

/** setTimeout's largest delay; a longer one fires at once. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

const KEYS: { [K in keyof RequestOptions]-?: true } = { signal: true, timeoutMs: true, maxRetries: true };

/** Checks a call's options before any network call; throws a {@link ValidationError} naming the option at fault. */
export function checkRequestOptions(options: RequestOptions, operation: string): RequestOptions {
  const invalid = (field: string, problem: string) =>
    new ValidationError(`${operation}: option ${field} ${problem}`, { code: 'invalid_field', field, operation });
  if (typeof options !== 'object' || options === null) throw invalid('options', 'must be an object');
  for (const key of Object.keys(options)) if (!Object.hasOwn(KEYS, key)) throw invalid(key, 'is not an option of a call');
  const { signal, timeoutMs, maxRetries } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw invalid('signal', 'must be an AbortSignal');
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS)) {
    throw invalid('timeoutMs', `must be an integer from 1 to ${MAX_TIMEOUT_MS}`);
  }
  if (maxRetries !== undefined && (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10)) {
    throw invalid('maxRetries', 'must be an integer from 0 to 10');
  }
  return options;
}
