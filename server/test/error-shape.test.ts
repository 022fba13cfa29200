/**
 * Every error the server sends, whoever detects it (a route, Fastify, node:http's parser), is the documented
 * `{ error: { code, message } }` with a contract code whose status is the reply's status. Reproduces the issue's
 * fuzz (2,327 of 13,000 malformed requests got Fastify's own `{"error":"Bad Request",...}`): thousands of
 * generated malformed requests over raw TCP and over fetch, from a fixed seed so a failure replays.
 */
import { connect } from 'node:net';
import fc from 'fast-check';
import { ERROR_CODES, HEADERS, PATHS } from '../../sdk/src/contract/schemas.js';
import { basicAuthorization } from '../../sdk/src/contract/wire.js';
import { ERROR_TABLE } from '../src/errors.js';
import { startServer, type TestServer } from './support/start-server.js';
import { api, expectError } from './support/http.js';

let server: TestServer;
let port: number;
beforeAll(async () => {
  server = await startServer();
  port = Number(new URL(server.baseUrl).port);
  // Verify the secret once up front: otherwise 16 parallel first requests each pay a scrypt, which on a loaded
  // machine outlasts the client's half-close below (and node:http drops a request whose client half-closed).
  expect((await api(server, PATHS.authCheck)).status).toBe(200);
});
afterAll(() => server.close());

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends raw bytes on a fresh connection and reads the first response (the server closes after an error). */
function rawRequest(bytes: string | Buffer): Promise<RawResponse | { failure: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    let why = 'closed';
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parseResponse(Buffer.concat(chunks)) ?? { failure: `no complete response (${chunks.length} chunks, ${why})` });
    };
    const timer = setTimeout(() => {
      why = 'timed out';
      finish();
    }, 10_000);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (parseResponse(Buffer.concat(chunks))) finish();
    });
    socket.on('error', (error) => {
      why = error.message;
      finish();
    });
    socket.on('close', finish);
    // Written without closing our side: node:http aborts a request whose client half-closed before the reply.
    // A request the server is still waiting on (e.g. a body shorter than announced) is half-closed after 3 s.
    socket.write(bytes);
    setTimeout(() => socket.end(), 3000).unref();
  });
}

function parseResponse(data: Buffer): RawResponse | undefined {
  const text = data.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? NaN);
  const body = data.subarray(Buffer.byteLength(text.slice(0, end + 4), 'latin1'));
  if (Number.isNaN(length)) return undefined;
  if (body.length < length) return undefined;
  return { status, headers, body: body.subarray(0, length).toString('utf8') };
}

/** The documented shape: `{ error: { code, message, field? } }`, a contract code, the status of that code. */
function shapeProblem(status: number, body: string): string | undefined {
  if (status < 400) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `status ${status}: body is not JSON: ${body.slice(0, 200)}`;
  }
  const error = (parsed as { error?: { code?: unknown; message?: unknown } }).error;
  if (Object.keys(parsed as object).join() !== 'error' || typeof error !== 'object' || error === null) return `status ${status}: not {error}: ${body.slice(0, 200)}`;
  if (typeof error.message !== 'string') return `status ${status}: no message: ${body.slice(0, 200)}`;
  if (!(ERROR_CODES as readonly unknown[]).includes(error.code)) return `status ${status}: unknown code ${String(error.code)}`;
  const expected = ERROR_TABLE[error.code as keyof typeof ERROR_TABLE].status;
  if (expected !== status) return `status ${status} but code ${String(error.code)} is documented as ${expected}`;
  return undefined;
}

// ---- generators -------------------------------------------------------------------------------------------

const pathPrefixes = ['/api/log/alice/', '/api/log/batch', '/api/entries', '/api/hooks/', '/api/hooks', '/api/verification/chain', '/api/getEntryById', '/api/auth/check', '/openapi.json', '/nope/', '/', '/api/'];
const badSegments = ['%', '%zz', '%E0%A4%A', '%00', '%FF%FE', '%C0%AF', 'caf\u00e9', '..%2F..', '%%41', '?x=%zz', '?fromSequence=abc', '?limit=-1', '?order=sideways', '?cursor=%', '#frag', ' ', 'a'.repeat(5000), 'LOGIN/x/y/z/w'];
const path = fc
  .tuple(fc.constantFrom(...pathPrefixes), fc.array(fc.oneof(fc.constantFrom(...badSegments), fc.string({ maxLength: 12 })), { maxLength: 3 }))
  .map(([prefix, rest]) => prefix + rest.join(''));

const credentialHeader = (): fc.Arbitrary<(readonly [string, string])[]> =>
  fc.constantFrom<(readonly [string, string])[]>(
    [],
    [['Authorization', basicAuthorization(server.credentials.organizationId, server.credentials.apiSecret)], [HEADERS.applicationId, server.credentials.applicationId]],
    [['Authorization', 'Basic !!!']],
    [['Authorization', 'Bearer x']],
  );
const contentType = fc.constantFrom('application/json', 'text/plain', 'application/xml', 'application/json; charset=bogus', '', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded');
const body = fc.oneof(
  fc.constantFrom('', '{', '{"entries":', '[]', 'null', '{"entries":[{"actorId":1}]}', '{"targetUrl":"http://[::1"}', '\u0000\u0001', '{"a":'.repeat(50)),
  fc.json(),
  fc.string({ maxLength: 200 }),
);
const oddHeaders = fc.array(
  fc.constantFrom<[string, string][]>(
    [['X-Bad\u0001', 'v']],
    [['Content-Length', 'abc']],
    [['Content-Length', '-1']],
    [['Content-Length', '5'], ['Content-Length', '6']],
    [['Transfer-Encoding', 'chunked'], ['Content-Length', '3']],
    [['Transfer-Encoding', 'gzip, chunked, identity']],
    [['Expect', 'something-else']],
    [['X-Huge', 'h'.repeat(20_000)]],
    [['Host', '']],
    [['X-Space ', 'v']],
    [['NoColonHeader', '\r\nbroken']],
    [['Connection', 'Upgrade'], ['Upgrade', 'websocket']],
  ),
  { maxLength: 2 },
);
const version = fc.constantFrom('HTTP/1.1', 'HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'HTTX/1.1', '');
const method = fc.constantFrom('GET', 'POST', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'FOO', 'get', 'G ET', 'CONNECT', 'TRACE', 'PROPFIND');

const rawRequestText = () =>
  fc.record({ method, path, version, credentials: credentialHeader(), contentType, body, odd: oddHeaders }).map((r) => {
    const lines = [`${r.method} ${r.path} ${r.version}`.replace(/ +$/, ''), 'Host: 127.0.0.1', 'Connection: close'];
    for (const [name, value] of r.credentials) lines.push(`${name}: ${value}`);
    if (r.contentType) lines.push(`Content-Type: ${r.contentType}`);
    const odd = r.odd.flat();
    if (!odd.some(([name]) => /content-length|transfer-encoding/i.test(name))) lines.push(`Content-Length: ${Buffer.byteLength(r.body)}`);
    for (const [name, value] of odd) lines.push(`${name}: ${value}`);
    return `${lines.join('\r\n')}\r\n\r\n${r.body}`;
  });

async function inParallel<T>(items: readonly T[], width: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await run(items[next++] as T);
    }),
  );
}

// ---- tests ------------------------------------------------------------------------------------------------

describe('every error has the documented shape', () => {
  test('the issue\'s cases: bad URL encoding, 414, 431, parser errors, unknown route, wrong method', async () => {
    const cases: [string, number, string][] = [
      [`GET /api/entries/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 400, 'bad_request'],
      [`POST /api/log/${'a'.repeat(5000)}/LOGIN HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, 414, 'uri_too_long'],
      [`GET /api/entries HTTP/1.1\r\nHost: x\r\nX-Huge: ${'h'.repeat(20_000)}\r\n\r\n`, 431, 'headers_too_large'],
      [`GET /${'p'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431, 'headers_too_large'],
      [`G ET / HTTP/1.1\r\nHost: x\r\n\r\n`, 400, 'bad_request'],
      [`GET / HTTP/1.1\r\nX-Bad\u0001: v\r\n\r\n`, 400, 'bad_request'],
      [`POST /api/log/a/b HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n`, 400, 'bad_request'],
      [`GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 404, 'not_found'],
      [`PUT /api/hooks HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, 405, 'method_not_allowed'],
      [`GET /api/log/batch HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 405, 'method_not_allowed'],
      [`POST /api/log/a/b HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\nContent-Length: 0\r\n\r\n`, 417, 'expectation_failed'],
      [`CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n`, 405, 'method_not_allowed'],
      [`GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`, 400, 'bad_request'],
    ];
    for (const [request, status, code] of cases) {
      const response = await rawRequest(request);
      if ('failure' in response) throw new Error(`${JSON.stringify(request.slice(0, 80))}: ${response.failure}`);
      expect({ request: request.slice(0, 60), status: response.status, code: (JSON.parse(response.body) as { error: { code: string } }).error.code }).toEqual({
        request: request.slice(0, 60),
        status,
        code,
      });
      expect(shapeProblem(response.status, response.body)).toBeUndefined();
    }
  });

  test('405 names the allowed methods', async () => {
    const response = await api(server, PATHS.hooks, { method: 'DELETE' });
    expectError(response, 405, 'method_not_allowed');
    expect(response.headers.get('allow')).toBe('POST');
  });

  test('3,000 generated malformed requests over raw TCP', async () => {
    const requests = fc.sample(rawRequestText(), { seed: 20261123, numRuns: 3000 });
    const problems: string[] = [];
    const statuses = new Map<number, number>();
    await inParallel(requests, 16, async (request) => {
      const response = await rawRequest(request);
      if ('failure' in response) {
        problems.push(`${JSON.stringify(request.slice(0, 120))}: ${response.failure} ${process.env.FUZZ_DEBUG ? JSON.stringify(request) : ""}`);
        return;
      }
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const problem = shapeProblem(response.status, response.body);
      if (problem) problems.push(`${JSON.stringify(request.slice(0, 120))}: ${problem}`);
    });
    expect(problems.slice(0, 10)).toEqual([]);
    // The generator reaches the parser, the router and the handlers: many distinct error statuses.
    expect([...statuses.keys()].filter((status) => status >= 400).length).toBeGreaterThanOrEqual(6);
  }, 120_000);

  test('1,500 generated malformed requests over fetch', async () => {
    const generated = fc.sample(
      fc.record({
        method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
        path,
        credentials: credentialHeader(),
        contentType,
        body,
      }),
      { seed: 11232026, numRuns: 1500 },
    );
    const problems: string[] = [];
    await inParallel(generated, 16, async (r) => {
      const headers = new Headers();
      for (const [name, value] of r.credentials) headers.set(name, value);
      if (r.contentType) headers.set('content-type', r.contentType);
      let response: Response;
      try {
        response = await fetch(`${server.baseUrl}${r.path.replace(/#.*/, '').replace(/ /g, '%20')}`, {
          method: r.method,
          headers,
          body: r.method === 'GET' ? undefined : r.body,
        });
      } catch (error) {
        // fetch refuses some URLs itself (never reaching the server); those are not the server's replies.
        if (error instanceof TypeError && /URL|Invalid/i.test(String((error as Error & { cause?: Error }).cause ?? error.message))) return;
        problems.push(`${r.method} ${r.path.slice(0, 80)}: ${String(error)}`);
        return;
      }
      const problem = shapeProblem(response.status, await response.text());
      if (problem) problems.push(`${r.method} ${r.path.slice(0, 80)}: ${problem}`);
    });
    expect(problems.slice(0, 10)).toEqual([]);
  }, 120_000);
});
