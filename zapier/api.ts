/**
 * Sends the SDK's transport-neutral `WireRequest`s through `z.request`, so paths, encoding and bodies come from
 * the contract exactly as the SDK sends them. Credentials are added by middleware.ts; error statuses are turned
 * into `z.errors` there. What middleware cannot see is handled here: a service that cannot be reached at all, and
 * an address that answers, but not like this API (an HTML page, a JSON body of another shape).
 */
import type { Bundle, HttpResponse, ZObject } from 'zapier-platform-core';
import { HEADERS } from '@audit-trail/sdk/contract';
import { queryString, type WireRequest } from '@audit-trail/sdk/contract';
import { baseUrlOf } from './connection.js';
import { notTheServiceMessage, unreachableMessage } from './messages.js';

/** Options of {@link sendWire}. */
export interface SendWireOptions<T> {
  /** Query parameters; `undefined`/empty values are left out. */
  query?: object;
  /** Act on this application instead of the connection's (the `Application-Id` header). */
  applicationId?: string | undefined;
  /**
   * Whether the 2xx body is what this API sends for the request. Default: a JSON object. A body that fails it means
   * the API Base URL points at something else, and the user is told so instead of seeing a crash later.
   */
  isExpected?: (data: unknown) => data is T;
}

/** The 2xx reply of {@link sendWireResponse}: the parsed body and the response (status, headers). */
export interface WireReply<T> {
  data: T;
  response: HttpResponse<T>;
}

const isJsonObject = (data: unknown): data is object => typeof data === 'object' && data !== null && !Array.isArray(data);

/** Socket-level failures: nothing answered at the address (or not in time). */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPROTO',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Is this a failure to reach the service (node-fetch's `FetchError` of type `system`, or a socket error)? */
export function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { name, code, type } = error as Error & { code?: unknown; type?: unknown };
  if (name === 'FetchError' && (type === 'system' || type === 'request-timeout')) return true;
  return typeof code === 'string' && NETWORK_ERROR_CODES.has(code);
}

/** Sends a request to the connection's service and returns the parsed body and the response of a 2xx reply. */
export async function sendWireResponse<T>(
  z: ZObject,
  bundle: Pick<Bundle, 'authData'>,
  request: WireRequest,
  options: SendWireOptions<T> = {},
): Promise<WireReply<T>> {
  const baseUrl = baseUrlOf(z, bundle);
  const headers: Record<string, string> = { Accept: 'application/json', ...request.headers };
  if (options.applicationId) headers[HEADERS.applicationId] = options.applicationId;
  let response: HttpResponse<T>;
  try {
    response = await z.request<T>({
      url: `${baseUrl}${request.path}${options.query ? queryString(options.query) : ''}`,
      method: request.method,
      headers,
      ...(request.body !== undefined && request.method !== 'GET' ? { body: request.body } : {}),
    });
  } catch (error) {
    if (isNetworkError(error)) throw new z.errors.Error(unreachableMessage(baseUrl), 'ServiceUnreachable', 502);
    throw error;
  }
  const isExpected = options.isExpected ?? (isJsonObject as (data: unknown) => data is T);
  if (!isExpected(response.data)) throw new z.errors.Error(notTheServiceMessage(baseUrl), 'NotTheService', 502);
  return { data: response.data, response };
}

/** Sends a request to the connection's service and returns the parsed JSON body of a 2xx reply. */
export async function sendWire<T>(
  z: ZObject,
  bundle: Pick<Bundle, 'authData'>,
  request: WireRequest,
  options: SendWireOptions<T> = {},
): Promise<T> {
  return (await sendWireResponse(z, bundle, request, options)).data;
}

/** A `GET` of a path below the base URL. */
export function getJson<T>(z: ZObject, bundle: Pick<Bundle, 'authData'>, path: string, options?: SendWireOptions<T>): Promise<T> {
  return sendWire<T>(z, bundle, { method: 'GET', path, headers: {} }, options);
}

/** `isExpected` for a body that is a JSON object with these properties of these `typeof` kinds. */
export function hasProperties<T>(shape: Record<string, 'string' | 'number' | 'boolean' | 'object' | 'array'>): (data: unknown) => data is T {
  return (data: unknown): data is T =>
    isJsonObject(data) &&
    Object.entries(shape).every(([key, kind]) => {
      const value = (data as Record<string, unknown>)[key];
      return kind === 'array' ? Array.isArray(value) : typeof value === kind && value !== null;
    });
}
