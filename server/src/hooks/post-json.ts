/** One webhook POST over node:http(s): resolves with the status, rejects on network errors and timeouts. */
import http from 'node:http';
import https from 'node:https';

/** POSTs `body` as JSON to `url`. */
export function postJson(url: URL, body: string, headers: Record<string, string>, timeoutMs: number, signal: AbortSignal): Promise<number> {
  const send = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
        timeout: timeoutMs,
        signal,
      },
      (response) => {
        // The body is not used; drain it so the socket is released.
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`webhook timed out after ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}
