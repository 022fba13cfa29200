/**
 * Turns an error reply of the audit-trail service into what a Zapier user should read. Pure, so it is tested
 * without HTTP; middleware.ts throws the matching `z.errors` class. The SDK's `errorFromResponse` classifies the
 * same statuses, but its messages are for developers (operation, path); a Zap shows these to end users.
 */
import { HEADERS, readErrorBody } from '@audit-trail/sdk/contract';
import { parseRetryAfterMs } from '@audit-trail/sdk/contract';
import {
  FORBIDDEN_MESSAGE,
  IDEMPOTENCY_CONFLICT_MESSAGE,
  NOT_FOUND_MESSAGE,
  UNAUTHORIZED_MESSAGE,
  refusedMessage,
  serverErrorMessage,
  throttledMessage,
} from './messages.js';

/** How Zapier should treat a failed request. */
export type ResponseProblem =
  | { kind: 'auth'; status: number; code: string; message: string }
  | { kind: 'throttled'; status: number; message: string; delaySeconds: number | undefined }
  | { kind: 'client'; status: number; code: string; message: string }
  | { kind: 'server'; status: number; code: string; message: string };

/** Retry-After in whole seconds (the SDK's parser: delta-seconds or an HTTP date), `undefined` when absent or unreadable. */
export function retryAfterSeconds(value: string | null | undefined, now: number = Date.now()): number | undefined {
  const ms = parseRetryAfterMs(value ?? undefined, now);
  return ms === undefined ? undefined : Math.ceil(ms / 1000);
}

/** Classifies a reply with status >= 400 and picks the message a user sees (zapier/messages.ts). */
export function problemFromResponse(
  status: number,
  body: unknown,
  header: (name: string) => string | null | undefined,
): ResponseProblem {
  const error = readErrorBody(body);
  if (status === 401 || status === 403) {
    // The service's own text names headers and the Basic scheme; the user only knows the connection's fields.
    return { kind: 'auth', status, code: error?.code ?? 'unauthorized', message: status === 401 ? UNAUTHORIZED_MESSAGE : FORBIDDEN_MESSAGE };
  }
  if (status === 429) {
    const delaySeconds = retryAfterSeconds(header(HEADERS.retryAfter));
    return { kind: 'throttled', status, delaySeconds, message: throttledMessage(delaySeconds) };
  }
  if (status >= 500) {
    return { kind: 'server', status, code: error?.code ?? 'server_error', message: serverErrorMessage(status) };
  }
  if (status === 404 && !error) return { kind: 'client', status, code: 'not_found', message: NOT_FOUND_MESSAGE };
  if (status === 409 && error?.code === 'idempotency_conflict') {
    return { kind: 'client', status, code: error.code, message: IDEMPOTENCY_CONFLICT_MESSAGE };
  }
  return { kind: 'client', status, code: error?.code ?? 'bad_request', message: refusedMessage(status, error?.message) };
}

/** The HTTP status carried by an error `middleware.ts` threw (`z.errors.Error` keeps it in its JSON message). */
export function statusOfThrown(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  try {
    const parsed = JSON.parse(error.message) as { status?: unknown };
    return typeof parsed.status === 'number' ? parsed.status : undefined;
  } catch {
    return undefined;
  }
}
