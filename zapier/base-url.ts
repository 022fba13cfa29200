/**
 * The API Base URL a user typed when connecting, checked by the contract's `parseBaseUrl` (the SDK's rule too);
 * this module only words the problems for the person at the connection form.
 */

import { parseBaseUrl } from '@audit-trail/sdk/contract';

/** Why a base URL was rejected, in words for the person who typed it. */
export type BaseUrlProblem = { problem: string };

/** Normalises a base URL with the contract's rule, or explains what is wrong in the connection form's words. */
export function normalizeBaseUrl(raw: unknown): string | BaseUrlProblem {
  const parsed = parseBaseUrl(raw);
  if (parsed.ok) return parsed.baseUrl;
  const { text } = parsed;
  switch (parsed.problem) {
    case 'missing':
    case 'not_text':
      return { problem: 'The API Base URL is missing. Reconnect the account and enter the address of your audit-trail service.' };
    case 'no_scheme':
      return { problem: `The API Base URL must start with http:// or https://, e.g. http://${text.replace(/^\/+/, '')}.` };
    case 'malformed':
      return { problem: `The API Base URL "${text}" is not a valid address. Use the full address, e.g. http://127.0.0.1:8080.` };
    case 'scheme':
      return { problem: `The API Base URL must start with http:// or https://, got "${parsed.protocol ?? ''}".` };
    case 'credentials':
      return { problem: 'The API Base URL must not contain a user name or password: enter them in their own fields.' };
    case 'query':
      return { problem: 'The API Base URL must not contain a query (?…) or fragment (#…).' };
  }
}

/** Type guard for the problem branch of {@link normalizeBaseUrl}. */
export function isBaseUrlProblem(value: string | BaseUrlProblem): value is BaseUrlProblem {
  return typeof value !== 'string';
}
