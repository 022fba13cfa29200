/**
 * The inverse of the contract's `buildLogRequest`, for the server: the entry a `POST /api/log/...` request
 * describes, from its route parameters, headers and body.
 */
import { HEADERS } from '@audit-trail/sdk/contract';

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
 * Rebuilds the entry from the route parameters, the (lower-cased) headers and the already-parsed body. The result
 * still has to pass validation. An empty body means the entry has no details.
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
