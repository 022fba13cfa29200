/** A tiny fetch wrapper for the server tests: credentials by default, JSON bodies parsed. */
import { authHeaders, type Credentials } from '../../../sdk/src/contract/wire.js';
import type { TestServer } from './start-server.js';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the reply is JSON, else the text. */
  body: T;
  text: string;
}

export interface ApiRequest {
  method?: 'GET' | 'POST' | 'DELETE';
  /** Replaces the server's seeded credentials; `null` sends none. */
  credentials?: Credentials | null;
  headers?: Record<string, string>;
  /** A string or bytes are sent as is (bytes without a content type); anything else as JSON (with `content-type: application/json` unless given). */
  body?: unknown;
}

export async function api<T = unknown>(server: TestServer, path: string, request: ApiRequest = {}): Promise<ApiResponse<T>> {
  const credentials = request.credentials === undefined ? server.credentials : request.credentials;
  const headers: Record<string, string> = { ...(credentials ? authHeaders(credentials) : {}) };
  let body: string | Uint8Array | undefined;
  // fetch labels a string body text/plain; bytes go without any content type.
  if (typeof request.body === 'string' || request.body instanceof Uint8Array) body = request.body;
  else if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers['content-type'] = 'application/json';
  }
  Object.assign(headers, request.headers);
  const response = await fetch(`${server.baseUrl}${path}`, { method: request.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  const text = await response.text();
  const isJson = (response.headers.get('content-type') ?? '').includes('json');
  return { status: response.status, headers: response.headers, body: (isJson && text ? JSON.parse(text) : text) as T, text };
}

/** Asserts an error reply: status, code, and no stack trace or internals in the body. */
export function expectError(response: ApiResponse, status: number, code: string, field?: string): void {
  expect({ status: response.status, code: (response.body as { error?: { code?: string } }).error?.code }).toEqual({ status, code });
  if (field !== undefined) expect((response.body as { error: { field?: string } }).error.field).toBe(field);
  expect(response.text).not.toMatch(/\bat .+\(.+:\d+:\d+\)|node_modules|\.ts:\d+/);
  expect(Object.keys(response.body as object)).toEqual(['error']);
}
