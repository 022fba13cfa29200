/**
 * One webhook POST over node:http(s): resolves with the status, rejects on network errors, on an idle socket
 * (`idleTimeoutMs` without a byte) and when the whole attempt (connect, send, response, body) outlasts
 * `deadlineMs`, so a target that drips a byte every few seconds cannot hold a delivery slot indefinitely.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';

/** Options of {@link postJson}. */
export interface PostOptions {
  headers: Record<string, string>;
  idleTimeoutMs: number;
  deadlineMs: number;
  signal: AbortSignal;
  /** Answers DNS for the connection (the pinned, checked address). */
  lookup?: LookupFunction;
}

/** POSTs `body` as JSON to `url`. */
export function postJson(url: URL, body: string, options: PostOptions): Promise<number> {
  const send = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...options.headers },
        timeout: options.idleTimeoutMs,
        signal: options.signal,
        // A fresh connection per attempt: a pooled socket would skip the pinned lookup of this attempt.
        agent: false,
        ...(options.lookup ? { lookup: options.lookup } : {}),
      },
      (response) => {
        // The body is not used; drain it so the socket is released (the deadline still bounds a slow one).
        response.resume();
        response.on('end', () => {
          clearTimeout(deadline);
          resolve(response.statusCode ?? 0);
        });
        response.on('error', fail);
      },
    );
    function fail(error: Error): void {
      clearTimeout(deadline);
      reject(error);
    }
    const deadline = setTimeout(() => request.destroy(new Error(`webhook attempt exceeded its ${options.deadlineMs} ms deadline`)), options.deadlineMs);
    deadline.unref();
    request.on('timeout', () => request.destroy(new Error(`webhook target idle for ${options.idleTimeoutMs} ms`)));
    request.on('error', fail);
    request.end(body);
  });
}
