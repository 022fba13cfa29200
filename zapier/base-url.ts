/**
 * The API Base URL a user typed when connecting: trimmed, without trailing slashes, and only http(s), so that
 * `${baseUrl}${PATHS.x}` is always a well-formed URL and credentials never go to an unexpected scheme.
 */

/** Why a base URL was rejected, in words for the person who typed it. */
export type BaseUrlProblem = { problem: string };

/** Normalises a base URL, or explains what is wrong with it. */
export function normalizeBaseUrl(raw: unknown): string | BaseUrlProblem {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!text) return { problem: 'The API Base URL is missing. Reconnect the account and enter the address of your audit-trail service.' };
  // "127.0.0.1:8080" and "localhost:8080" are the usual slips; URL() would read "localhost:" as a scheme.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    return { problem: `The API Base URL must start with http:// or https://, e.g. http://${text.replace(/^\/+/, '')}.` };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: `The API Base URL "${text}" is not a valid address. Use the full address, e.g. http://127.0.0.1:8080.` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { problem: `The API Base URL must start with http:// or https://, got "${url.protocol}".` };
  }
  if (url.username || url.password) {
    return { problem: 'The API Base URL must not contain a user name or password: enter them in their own fields.' };
  }
  if (url.search || url.hash) {
    return { problem: 'The API Base URL must not contain a query (?…) or fragment (#…).' };
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** Type guard for the problem branch of {@link normalizeBaseUrl}. */
export function isBaseUrlProblem(value: string | BaseUrlProblem): value is BaseUrlProblem {
  return typeof value !== 'string';
}
