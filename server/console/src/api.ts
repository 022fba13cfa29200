/**
 * The console's calls to the audit-trail API, from the browser, on the same origin. Types come from the wire
 * contract (`import type`, erased at compile time); the paths are checked against the contract's `PATHS` by the
 * compiler, so the console cannot drift from the API.
 */
import type { AuthCheckResponse, ErrorBody, ListResponse, PATHS, StoredEntry, VerifyResult } from '@audit-trail/sdk/contract';
import type { Session } from './session.js';

const ENTRIES: typeof PATHS.entries = '/api/entries';
const ENTRY_BY_ID: typeof PATHS.entryById = '/api/getEntryById';
const VERIFY_CHAIN: typeof PATHS.verifyChain = '/api/verification/chain';
const AUTH_CHECK: typeof PATHS.authCheck = '/api/auth/check';

/** The list filters of `GET /api/entries` the console offers (the contract's `ListQuery` minus paging). */
export interface EntryFilters {
  actorId?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  idempotencyKey?: string;
  /** ISO-8601 UTC. */
  from?: string;
  /** ISO-8601 UTC. */
  to?: string;
}

/** A failed call, with a message that says what to do. */
export class ApiFailure extends Error {
  override name = 'ApiFailure' as const;
  constructor(
    message: string,
    /** HTTP status, 0 when the server could not be reached. */
    readonly status: number,
    /** The API's error code, or `network`. */
    readonly code: string,
  ) {
    super(message);
  }
}

/** The sentence the console shows for an API error code: what went wrong and what to do. */
function advice(code: string, message: string, field: string | undefined): string {
  switch (code) {
    case 'unauthorized':
      return 'The organization ID or API secret was not accepted. Check them (the server prints them on first start and saves them in <data dir>/credentials.env) and sign in again.';
    case 'unknown_application':
      return 'This organization has no application with that ID. Check the application ID and sign in again.';
    case 'rate_limited':
      return 'The server is limiting requests. Wait a few seconds, then try again.';
    case 'not_found':
      return `Not found: ${message}. It may belong to another application; go back to the list.`;
    case 'invalid_field':
    case 'field_too_long':
    case 'missing_field':
      return `${field ? `The filter "${field}" was not accepted: ` : ''}${message}. Correct it and apply the filters again.`;
    default:
      return `The server answered with an error (${code}): ${message}. Try again; if it persists, check the server's log.`;
  }
}

/** `Basic base64(utf8(organizationId:apiSecret))`, as the SDK sends it. */
function basicAuthorization(session: Session): string {
  const bytes = new TextEncoder().encode(`${session.organizationId}:${session.apiSecret}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/** A GET of the API. `credentials: 'omit'` sends no cookie and keeps the browser from prompting for a password on a 401. */
export async function apiGet<T>(session: Session, path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: basicAuthorization(session), 'application-id': session.applicationId, accept: 'application/json' },
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new ApiFailure('The server could not be reached. Check that it is running and that you are online, then try again.', 0, 'network');
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = (body as Partial<ErrorBody> | undefined)?.error;
    const code = typeof error?.code === 'string' ? error.code : `http_${response.status}`;
    throw new ApiFailure(advice(code, typeof error?.message === 'string' ? error.message : response.statusText, error?.field), response.status, code);
  }
  if (body === undefined) throw new ApiFailure('The server sent an answer the console cannot read. Try again.', response.status, 'bad_response');
  return body as T;
}

export const checkCredentials = (session: Session): Promise<AuthCheckResponse> => apiGet(session, AUTH_CHECK);

export const listEntries = (session: Session, filters: EntryFilters, limit: number, cursor: string | undefined): Promise<ListResponse> =>
  apiGet(session, ENTRIES, { ...filters, limit, cursor });

export const getEntry = (session: Session, entryId: string): Promise<StoredEntry> => apiGet(session, ENTRY_BY_ID, { entryId });

export const verifyChain = (session: Session, fromSequence: number, toSequence: number | undefined): Promise<VerifyResult> =>
  apiGet(session, VERIFY_CHAIN, { fromSequence, toSequence });
