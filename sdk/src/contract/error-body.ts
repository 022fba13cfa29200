/**
 * Reading the `{ error: { code, message, field } }` body of an error reply. The SDK's typed errors and the
 * Zapier app's user-facing messages both start from this one reader.
 */
import { ERROR_CODES, type ErrorCode } from './error-codes.js';
import type { ErrorDetail } from './schemas.js';

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/** What an error reply said, as far as it followed the contract: each member only when it is well-formed. */
export type ReportedError = Partial<ErrorDetail>;

/**
 * The error a reply body reports: parsed JSON or its text. A code outside {@link ERROR_CODES}, an empty message or
 * an empty field is left out; `undefined` when the body has no `error` object at all (e.g. a proxy's HTML page).
 */
export function readErrorBody(body: unknown): ReportedError | undefined {
  const parsed = typeof body === 'string' ? parseJson(body) : body;
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const error = (parsed as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message, field } = error as Record<string, unknown>;
  const result: ReportedError = {};
  if (typeof code === 'string' && KNOWN_CODES.has(code)) result.code = code as ErrorCode;
  if (typeof message === 'string' && message.trim() !== '') result.message = message.trim();
  if (typeof field === 'string' && field !== '') result.field = field;
  return result;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
