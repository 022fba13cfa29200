/**
 * Sends one batch and reads the reply into what the publisher must do next. No state, no timers.
 */
import { HEADERS, PATHS, PREFER_MINIMAL } from '../contract/endpoints.js';
import type { BatchResponse, BatchResult, BatchSummary } from '../contract/schemas.js';
import { errorFromResponse, headerValue, isAuditTrailError } from '../errors.js';
import { takesByteBodies, type Transport, type TransportResponse } from '../transport/transport.js';
import type { Batch } from './batch.js';
import { shouldRetry } from './retry-policy.js';

/** What a batch request came to. */
export type BatchOutcome =
  /** The service answered with one result per entry. */
  | { kind: 'results'; results: readonly BatchResult[] }
  /** The service answered with counts and the rejected entries only (asked for with `minimal`). */
  | { kind: 'summary'; duplicates: number; rejected: BatchSummary['rejected'] }
  /** Try again later (network error, 408, 425, 429, 5xx, unreadable 2xx). */
  | { kind: 'retry'; status?: number; code?: string; retryAfter?: string; message: string }
  /** 413: the body is too large for the service (or a proxy in front of it). */
  | { kind: 'too_large'; status: number; code: string; message: string }
  /** Another 4xx: retrying the same request cannot succeed. */
  | { kind: 'rejected'; status: number; code?: string; message: string };

const OPERATION = { name: 'enqueue', method: 'POST', path: PATHS.batch } as const;
const JSON_HEADERS = Object.freeze({ 'Content-Type': 'application/json' });
const MINIMAL_HEADERS = Object.freeze({ 'Content-Type': 'application/json', [HEADERS.prefer]: PREFER_MINIMAL });

function readResults(body: unknown, expected: number): readonly BatchResult[] | undefined {
  const results = (body as Partial<BatchResponse> | null)?.results;
  if (!Array.isArray(results) || results.length !== expected) return undefined;
  // Every entry needs exactly one result, or some would never be settled.
  const seen = new Set<unknown>(results.map((result: Partial<BatchResult> | null) => result?.index));
  for (let index = 0; index < expected; index++) if (!seen.has(index)) return undefined;
  return results as BatchResult[];
}

function readSummary(body: unknown, expected: number): BatchSummary | undefined {
  const summary = body as Partial<BatchSummary> | null;
  if (typeof summary?.stored !== 'number' || typeof summary.duplicates !== 'number' || !Array.isArray(summary.rejected)) return undefined;
  // The counts must account for every entry, and each rejection must name one of them, or some would never settle.
  if (summary.stored + summary.duplicates + summary.rejected.length !== expected) return undefined;
  const indexes = new Set(summary.rejected.map((rejection) => rejection?.index));
  if (indexes.size !== summary.rejected.length) return undefined;
  for (const index of indexes) if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= expected) return undefined;
  return summary as BatchSummary;
}

/**
 * Sends `batch` and classifies the reply. Never throws. With `minimal`, asks for a compact reply (counts and
 * rejections, no receipts); a service that ignores the preference answers in full, which is read as usual.
 */
export async function sendBatch(
  transport: Transport,
  batch: Batch,
  options: { timeoutMs: number; signal: AbortSignal; minimal?: boolean },
): Promise<BatchOutcome> {
  let response: TransportResponse;
  try {
    const headers = { ...(options.minimal ? MINIMAL_HEADERS : JSON_HEADERS) };
    const sendOptions = { timeoutMs: options.timeoutMs, signal: options.signal };
    // The built-in transport sends the bytes as they are; another gets the text its WireRequest type promises.
    response = takesByteBodies(transport)
      ? await transport.send({ method: 'POST', path: PATHS.batch, headers, body: batch.body() }, sendOptions)
      : await transport.send({ method: 'POST', path: PATHS.batch, headers, body: batch.bodyText() }, sendOptions);
  } catch (error) {
    const code = isAuditTrailError(error) ? error.code : undefined;
    const outcome: BatchOutcome = { kind: 'retry', message: (error as Error)?.message ?? String(error) };
    if (code !== undefined) outcome.code = code;
    return outcome;
  }
  const { status, body, headers } = response;
  if (status >= 200 && status < 300) {
    if (options.minimal && headerValue(headers, HEADERS.preferenceApplied) === PREFER_MINIMAL) {
      const summary = readSummary(body, batch.size);
      if (summary) return { kind: 'summary', duplicates: summary.duplicates, rejected: summary.rejected };
    } else {
      const results = readResults(body, batch.size);
      if (results) return { kind: 'results', results };
    }
    // Safe to resend: the idempotency keys turn whatever was stored into duplicates.
    return { kind: 'retry', status, message: `The batch reply (HTTP ${status}) had no result per entry` };
  }
  const error = errorFromResponse(status, body, headers, OPERATION);
  if (status === 413) return { kind: 'too_large', status, code: error.code ?? 'body_too_large', message: error.message };
  if (shouldRetry(status)) {
    const outcome: BatchOutcome = { kind: 'retry', status, message: error.message };
    if (error.code !== undefined) outcome.code = error.code;
    const retryAfter = headerValue(headers, HEADERS.retryAfter);
    if (retryAfter !== undefined) outcome.retryAfter = retryAfter;
    return outcome;
  }
  const outcome: BatchOutcome = { kind: 'rejected', status, message: error.message };
  if (error.code !== undefined) outcome.code = error.code;
  return outcome;
}
