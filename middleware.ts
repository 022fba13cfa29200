/**
 * The app's HTTP middleware: one `beforeRequest` that adds the credentials (built by the SDK's `authHeaders`, the
 * single implementation of the header format) and one `afterResponse` that turns error statuses into `z.errors`.
 *
 * 429s reach `afterResponse` because index.ts sets `flags.throwForThrottlingEarly: false`: core's own early throw
 * reads Retry-After only as seconds and says "The server returned 429" to the user.
 */
import type { AfterResponseMiddleware, BeforeRequestMiddleware } from 'zapier-platform-core';
import { HEADERS } from '@audit-trail/sdk/contract';
import { authHeaders } from '@audit-trail/sdk/contract';
import { isBaseUrlProblem, normalizeBaseUrl } from './zapier/base-url.js';
import { credentialsOf } from './zapier/connection.js';
import { problemFromResponse } from './zapier/response-errors.js';

const hasHeader = (headers: Record<string, string>, name: string): boolean =>
  Object.keys(headers).some((key) => key.toLowerCase() === name.toLowerCase());

/**
 * Adds `Authorization` and `Application-Id` to requests for the connection's own service, and to nothing else:
 * the secret must never travel to another host. An operation that targets another application of the same
 * organization sets `Application-Id` itself, and that choice is kept.
 */
export const addCredentials: BeforeRequestMiddleware = (request, _z, bundle) => {
  const credentials = credentialsOf(bundle.authData ?? {});
  const baseUrl = normalizeBaseUrl(bundle.authData?.['baseUrl']);
  if (!credentials || isBaseUrlProblem(baseUrl)) return request;
  if (request.url !== baseUrl && !request.url.startsWith(`${baseUrl}/`) && !request.url.startsWith(`${baseUrl}?`)) return request;
  const headers = { ...(request.headers ?? {}) };
  const auth = authHeaders(credentials);
  for (const [name, value] of Object.entries(auth)) {
    if (name === HEADERS.applicationId && hasHeader(headers, name)) continue;
    headers[name] = value;
  }
  request.headers = headers;
  return request;
};

/** Maps error statuses to the `z.errors` class that makes Zapier do the right thing (see docs/zapier.md). */
export const handleErrorStatus: AfterResponseMiddleware = (response, z) => {
  if (response.status < 400) return response;
  let body: unknown = response.data;
  if (body === undefined) {
    try {
      body = response.content;
    } catch {
      body = undefined;
    }
  }
  const problem = problemFromResponse(response.status, body, (name) => response.getHeader(name));
  switch (problem.kind) {
    case 'auth':
      // 401: the secret was rotated or revoked; every later run would fail the same way, so Zapier should pause
      // the Zaps and ask the user to reconnect. 403: the credentials work but not for this application, which a
      // step-level setting (Application) can cause, so it stays an ordinary, step-visible error.
      if (problem.status === 401) throw new z.errors.ExpiredAuthError(problem.message);
      throw new z.errors.Error(problem.message, 'AuthenticationError', problem.status);
    case 'throttled':
      throw new z.errors.ThrottledError(problem.message, problem.delaySeconds);
    case 'server':
      throw new z.errors.Error(problem.message, problem.code, problem.status);
    case 'client':
      throw new z.errors.Error(problem.message, problem.code, problem.status);
  }
};

/** Middleware in the order core runs them. */
export const befores = [addCredentials];
/** Middleware in the order core runs them. */
export const afters = [handleErrorStatus];
