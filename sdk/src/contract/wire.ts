/**
 * How entries and credentials are put on the wire. The SDK's axios transport and the Zapier app's `z.request`
 * calls use these functions, so the format exists once; the server reads it back with its own decoders
 * (server/src/routes/log-request.ts, server/src/auth/basic-authorization.ts), tested against these encoders.
 */
import { HEADERS, PATHS } from './endpoints.js';
import type { Entry } from './schemas.js';

/** Credentials of one application of one organization. */
export interface Credentials {
  /** The organization id (the Basic-auth user name). */
  organizationId: string;
  /** The organization's API secret (the Basic-auth password). Never logged. */
  apiSecret: string;
  /** The application whose trail is written (the `Application-Id` header). */
  applicationId: string;
}

/** A transport-neutral HTTP request: the SDK sends it with axios, the Zapier app with `z.request`. */
export interface WireRequest {
  /** HTTP method. */
  method: 'GET' | 'POST' | 'DELETE';
  /** Path (and query) below the base URL, already encoded. */
  path: string;
  /** Headers to send (without the credentials, which {@link authHeaders} adds). */
  headers: Record<string, string>;
  /** The exact body, when there is one. */
  body?: string;
}

/** The value of the `Authorization` header for Basic auth with `organizationId:apiSecret`. */
export function basicAuthorization(organizationId: string, apiSecret: string): string {
  return `Basic ${Buffer.from(`${organizationId}:${apiSecret}`, 'utf8').toString('base64')}`;
}

/** The credential headers every request carries: `Authorization` (Basic) and `Application-Id`. */
export function authHeaders(credentials: Credentials): Record<string, string> {
  return {
    [HEADERS.authorization]: basicAuthorization(credentials.organizationId, credentials.apiSecret),
    [HEADERS.applicationId]: credentials.applicationId,
  };
}

const JSON_TYPE = 'application/json';
const TEXT_TYPE = 'text/plain; charset=utf-8';

/**
 * The request that records one entry: `POST /api/log/{actorId}/{action}[/{entityType}/{entityId}]`, the details
 * as the body and the other fields as headers. The entry must already be valid.
 */
export function buildLogRequest(entry: Entry): WireRequest {
  const path =
    entry.entityType !== undefined && entry.entityId !== undefined
      ? PATHS.logAboutEntity(entry.actorId, entry.action, entry.entityType, entry.entityId)
      : PATHS.log(entry.actorId, entry.action);
  const isText = typeof entry.details === 'string';
  const headers: Record<string, string> = { 'Content-Type': isText ? TEXT_TYPE : JSON_TYPE };
  if (entry.idempotencyKey !== undefined) headers[HEADERS.idempotencyKey] = entry.idempotencyKey;
  if (entry.actorDisplayName !== undefined) headers[HEADERS.actorDisplayName] = encodeURIComponent(entry.actorDisplayName);
  if (entry.actorRoles !== undefined) headers[HEADERS.actorRoles] = entry.actorRoles.map(encodeURIComponent).join(',');
  if (entry.occurredAt !== undefined) headers[HEADERS.occurredAt] = entry.occurredAt;
  if (entry.ip !== undefined) headers[HEADERS.ip] = entry.ip;
  const body = entry.details === undefined ? '' : isText ? (entry.details as string) : JSON.stringify(entry.details);
  return { method: 'POST', path, headers, body };
}

/** The body of `POST /api/log/batch` from entries already serialised by `serializeEntry` (no re-serialisation). */
export function batchBody(serializedEntries: readonly string[]): string {
  return `{"entries":[${serializedEntries.join(',')}]}`;
}

/** Bytes `batchBody` adds around the entries: the envelope plus one comma between each two entries. */
export function batchOverheadBytes(count: number): number {
  return '{"entries":[]}'.length + Math.max(0, count - 1);
}

/** Encodes a query object as `?a=1&b=2`, skipping `undefined` values; empty string when nothing is set. */
export function queryString(query: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

