/**
 * Sends the SDK's transport-neutral `WireRequest`s through `z.request`, so paths, encoding and bodies come from
 * sdk/wire.ts and sdk/contract.ts exactly as the SDK sends them. Credentials are added by middleware.ts; status
 * codes are turned into `z.errors` there as well.
 */
import type { Bundle, ZObject } from 'zapier-platform-core';
import { HEADERS } from '@audit-trail/sdk/contract';
import { queryString, type WireRequest } from '@audit-trail/sdk/contract';
import { baseUrlOf } from './connection.js';

/** Options of {@link sendWire}. */
export interface SendWireOptions {
  /** Query parameters; `undefined`/empty values are left out. */
  query?: object;
  /** Act on this application instead of the connection's (the `Application-Id` header). */
  applicationId?: string | undefined;
}

/** Sends a request to the connection's service and returns the parsed JSON body of a 2xx reply. */
export async function sendWire<T>(
  z: ZObject,
  bundle: Pick<Bundle, 'authData'>,
  request: WireRequest,
  options: SendWireOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...request.headers };
  if (options.applicationId) headers[HEADERS.applicationId] = options.applicationId;
  const response = await z.request<T>({
    url: `${baseUrlOf(z, bundle)}${request.path}${options.query ? queryString(options.query) : ''}`,
    method: request.method,
    headers,
    ...(request.body !== undefined && request.method !== 'GET' ? { body: request.body } : {}),
  });
  return response.data;
}

/** A `GET` of a path below the base URL. */
export function getJson<T>(z: ZObject, bundle: Pick<Bundle, 'authData'>, path: string, options?: SendWireOptions): Promise<T> {
  return sendWire<T>(z, bundle, { method: 'GET', path, headers: {} }, options);
}
