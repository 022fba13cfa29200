/**
 * The API Base URL a user typed when connecting, checked by the contract's `parseBaseUrl` (the SDK's rule too), plus
 * the app's own rule: https only, plain http only for a service on the same computer (local development), so the
 * API Secret never travels unencrypted over a network. Zapier's cloud can never reach a loopback address, so the
 * http exception only matters for `zapier-platform invoke` and tests on a developer's machine. This module words
 * every problem for the person at the connection form.
 */
import { parseBaseUrl } from '@audit-trail/sdk/contract';

/** Why a base URL was rejected, in words for the person who typed it. */
export type BaseUrlProblem = { problem: string };

/** Is this URL host the computer itself (`localhost`, `127.x.x.x`, `[::1]`)? */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '[::1]';
}

/** Normalises a base URL, or explains what is wrong with it in the connection form's words. */
export function normalizeBaseUrl(raw: unknown): string | BaseUrlProblem {
  const parsed = parseBaseUrl(raw);
  if (!parsed.ok) {
    const { text } = parsed;
    switch (parsed.problem) {
      case 'missing':
      case 'not_text':
        return { problem: 'API Base URL is missing. Reconnect the account and enter the address of your Audit Trail service.' };
      case 'no_scheme': {
        // "audit.example.com" and "127.0.0.1:8080" are the usual slips: suggest the address as it should be.
        const bare = text.replace(/^\/+/, '');
        const scheme = isLoopbackHost(bare.split(/[/:]/)[0] ?? '') ? 'http' : 'https';
        return { problem: `API Base URL must be a full address starting with https://, e.g. ${scheme}://${bare}. Reconnect the account and correct it.` };
      }
      case 'malformed':
        return { problem: `API Base URL "${text}" is not a valid address. Use the full address, e.g. https://audit.example.com.` };
      case 'scheme':
        return { problem: `API Base URL must start with https://, not "${parsed.protocol ?? ''}//". Reconnect the account and correct it.` };
      case 'credentials':
        return { problem: 'API Base URL must not contain a user name or password: enter them in Organization ID and API Secret.' };
      case 'query':
        return { problem: 'API Base URL must not contain a query (?…) or fragment (#…): enter only the address of the service.' };
    }
  }
  const url = new URL(parsed.baseUrl);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return {
      problem: `API Base URL must start with https:// so that your API Secret is sent encrypted (http:// is accepted only for a service on your own computer, such as http://127.0.0.1:8080). Use https://${url.host}${url.pathname === '/' ? '' : url.pathname}.`,
    };
  }
  return parsed.baseUrl;
}

/** Type guard for the problem branch of {@link normalizeBaseUrl}. */
export function isBaseUrlProblem(value: string | BaseUrlProblem): value is BaseUrlProblem {
  return typeof value !== 'string';
}
