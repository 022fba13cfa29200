/**
 * The base URL of the service as a person or a program gives it: trimmed, without trailing slashes, and only
 * http(s), so that `${baseUrl}${PATHS.x}` is always a well-formed URL and credentials never go to an unexpected
 * scheme. The SDK (a `TypeError` naming the option) and the Zapier app (a sentence for the person who typed it)
 * word the problems their own way; the rule is this one.
 */

/** Why a base URL was refused. */
export type BaseUrlProblem =
  /** Absent or empty. */
  | 'missing'
  /** Not a string at all. */
  | 'not_text'
  /** No `scheme://` in front, e.g. `localhost:8080` (which `URL` would read as the scheme `localhost:`). */
  | 'no_scheme'
  /** Not a parseable URL. */
  | 'malformed'
  /** A scheme other than http or https. */
  | 'scheme'
  /** A user name or password in the URL: they belong in their own fields. */
  | 'credentials'
  /** A query (`?…`) or fragment (`#…`). */
  | 'query';

/** The outcome of {@link parseBaseUrl}. */
export type ParsedBaseUrl =
  | { ok: true; baseUrl: string }
  | { ok: false; problem: BaseUrlProblem; /** The trimmed text. */ text: string; /** The scheme, for `scheme`. */ protocol?: string };

/** Normalises a base URL (`https://audit.example.com/prefix/` → `https://audit.example.com/prefix`), or says what is wrong. */
export function parseBaseUrl(raw: unknown): ParsedBaseUrl {
  if (raw !== undefined && raw !== null && typeof raw !== 'string') return { ok: false, problem: 'not_text', text: '' };
  const text = (raw ?? '').trim();
  if (!text) return { ok: false, problem: 'missing', text };
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return { ok: false, problem: 'no_scheme', text };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: 'malformed', text };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, problem: 'scheme', text, protocol: url.protocol };
  if (url.username || url.password) return { ok: false, problem: 'credentials', text };
  if (url.search || url.hash) return { ok: false, problem: 'query', text };
  return { ok: true, baseUrl: `${url.origin}${url.pathname}`.replace(/\/+$/, '') };
}
