/**
 * Turns an error reply of the audit-trail service into what a Zapier user should read. Pure, so it is tested
 * without HTTP; middleware.ts throws the matching `z.errors` class. The SDK's `errorFromResponse` classifies the
 * same statuses, but its messages are for developers (operation, path); a Zap shows these to end users.
 */
import { HEADERS, readErrorBody } from '@audit-trail/sdk/contract';
import { parseRetryAfterMs } from '@audit-trail/sdk/contract';
import { withFieldLabels } from './entry-fields.js';

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

const sentence = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`);

/** Classifies a reply with status >= 400 and writes the message a user sees. */
export function problemFromResponse(
  status: number,
  body: unknown,
  header: (name: string) => string | null | undefined,
): ResponseProblem {
  const error = readErrorBody(body);
  const detail = error?.message ? sentence(withFieldLabels(error.message)) : '';
  if (status === 401 || status === 403) {
    return {
      kind: 'auth',
      status,
      code: error?.code ?? 'unauthorized',
      message:
        status === 401
          ? `The audit-trail service rejected the connection's Organization ID or API Secret (HTTP 401). Reconnect the account with current credentials.${detail ? ` ${detail}` : ''}`
          : `The connection is not allowed to use this application (HTTP 403). Check the Application ID, or reconnect the account.${detail ? ` ${detail}` : ''}`,
    };
  }
  if (status === 429) {
    const delaySeconds = retryAfterSeconds(header(HEADERS.retryAfter));
    return {
      kind: 'throttled',
      status,
      delaySeconds,
      message: `The audit-trail service is receiving too many requests (HTTP 429); Zapier will try again${delaySeconds !== undefined ? ` in ${delaySeconds} seconds` : ' later'}.`,
    };
  }
  if (status >= 500) {
    return {
      kind: 'server',
      status,
      code: error?.code ?? 'server_error',
      message: `The audit-trail service had a temporary problem (HTTP ${status}). Try again in a few minutes; if it keeps happening, contact the service's administrator.`,
    };
  }
  if (status === 404 && !error?.message) {
    return {
      kind: 'client',
      status,
      code: 'not_found',
      message: 'The audit-trail service does not know this address (HTTP 404). Check the API Base URL of the connection.',
    };
  }
  return {
    kind: 'client',
    status,
    code: error?.code ?? 'bad_request',
    message: `The audit-trail service refused the request (HTTP ${status}): ${detail || 'no reason given.'}`,
  };
}
