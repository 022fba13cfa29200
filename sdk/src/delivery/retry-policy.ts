/**
 * When and how long to wait before sending a batch again. Pure functions: time and randomness are parameters.
 */
import { parseRetryAfterMs } from '../errors.js';
import type { RetryOptions } from './options.js';

/** Statuses worth retrying: the request may succeed later unchanged. Other 4xx never will. */
const RETRYABLE = new Set([408, 425, 429]);

/** Whether a reply with this status should be retried (408, 425, 429 and 5xx). Network errors always are. */
export function shouldRetry(status: number): boolean {
  return RETRYABLE.has(status) || status >= 500;
}

/**
 * Delay before retry number `attempt + 1` (attempt counts from 0): full jitter over an exponential window,
 * `rand() * min(maxDelayMs, baseDelayMs * 2 ** attempt)`. A `Retry-After` (seconds or HTTP date) is a minimum,
 * clamped to `maxRetryAfterMs` so a hostile or broken server cannot park the client.
 *
 * @param attempt - Retries already made for this batch, from 0.
 * @param retryAfter - The reply's `Retry-After` header, if any.
 * @param policy - Backoff settings.
 * @param rand - Uniform random number in [0, 1).
 * @param nowMs - Current time, to read an HTTP date.
 */
export function retryDelayMs(
  attempt: number,
  retryAfter: string | undefined,
  policy: Required<RetryOptions>,
  rand: () => number = Math.random,
  nowMs: number = Date.now(),
): number {
  const window = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt, 52));
  const backoff = Math.floor(rand() * window);
  const asked = parseRetryAfterMs(retryAfter, nowMs);
  if (asked === undefined) return backoff;
  return Math.max(backoff, Math.min(asked, policy.maxRetryAfterMs));
}
