/**
 * How entries and credentials are put on the wire and read back from it. The SDK's axios transport, the Zapier
 * app's `z.request` calls and the server all use these functions, so the format exists once.
 */
import { HEADERS, PATHS, type Entry } from './schemas.js';

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

/** Reads a Basic `Authorization` header back into its parts; `undefined` when it is not well-formed. */
export function parseBasicAuthorization(header: string | undefined): { organizationId: string; apiSecret: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header?.trim() ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { organizationId: decoded.slice(0, colon), apiSecret: decoded.slice(colon + 1) };
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

/** Path parameters of the log routes, as the router decoded them. */
export interface LogRouteParams {
  actorId: string;
  action: string;
  entityType?: string;
  entityId?: string;
}

const decodeHeader = (value: string): string => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/**
 * The inverse of {@link buildLogRequest}, for the server: rebuilds the entry from the route parameters, the
 * (lower-cased) headers and the already-parsed body. The result still has to pass validation. An empty body means
 * the entry has no details.
 */
export function entryFromLogRequest(
  params: LogRouteParams,
  headers: Record<string, string | string[] | undefined>,
  body: unknown,
): Record<string, unknown> {
  const header = (name: string): string | undefined => {
    const value = headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(',') : value;
  };
  const entry: Record<string, unknown> = { actorId: params.actorId, action: params.action };
  if (params.entityType !== undefined) entry['entityType'] = params.entityType;
  if (params.entityId !== undefined) entry['entityId'] = params.entityId;
  if (body !== undefined && body !== null && body !== '') entry['details'] = body;
  const displayName = header(HEADERS.actorDisplayName);
  if (displayName !== undefined) entry['actorDisplayName'] = decodeHeader(displayName);
  const roles = header(HEADERS.actorRoles);
  if (roles !== undefined) entry['actorRoles'] = roles.split(',').map((role) => decodeHeader(role.trim()));
  const occurredAt = header(HEADERS.occurredAt);
  if (occurredAt !== undefined) entry['occurredAt'] = occurredAt;
  const ip = header(HEADERS.ip);
  if (ip !== undefined) entry['ip'] = ip;
  const idempotencyKey = header(HEADERS.idempotencyKey);
  if (idempotencyKey !== undefined) entry['idempotencyKey'] = idempotencyKey;
  return entry;
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

