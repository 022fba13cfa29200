/**
 * The axios transport against a real HTTP server on 127.0.0.1: parsing, keep-alive, redirects, deadlines.
 * Keep-alive is not asserted here: nock, once loaded by any test file of a jest worker, patches node:http for the
 * whole worker and passes real requests through fresh sockets with `Connection: close`, so neither socket reuse
 * nor the keep-alive header can be observed reliably in-process.
 */
import nock from 'nock';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { NetworkError } from '../src/errors.js';
import { AxiosTransport } from '../src/transport/axios-transport.js';
import { APP, BASIC, ORG, SECRET } from './support/credentials.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

let handler: Handler = (_req, res) => res.end();
const server = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => handler(req, res, body));
});
let baseUrl = '';
let transport: AxiosTransport;

const makeTransport = (timeoutMs = 5_000): AxiosTransport =>
  new AxiosTransport({ baseUrl, organizationId: ORG, apiSecret: SECRET, applicationId: APP, timeoutMs, maxSockets: 4 });

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  transport = makeTransport();
});
afterAll(async () => {
  transport.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  nock.enableNetConnect();
});

test('sends the credentials, the headers and the exact body', async () => {
  let seen: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string } | undefined;
  handler = (req, res, body) => {
    seen = { method: req.method, url: req.url, headers: req.headers, body };
    res.writeHead(201, { 'Content-Type': 'application/json; charset=utf-8' }).end('{"ok":true}');
  };
  const response = await transport.send({
    method: 'POST',
    path: '/api/log/a%2Fb/X',
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Idempotency-Key': 'k1' },
    body: 'plain — text',
  });
  expect(response).toEqual({ status: 201, headers: expect.objectContaining({ 'content-type': 'application/json; charset=utf-8' }), body: { ok: true } });
  expect(seen?.method).toBe('POST');
  expect(seen?.url).toBe('/api/log/a%2Fb/X');
  expect(seen?.headers['authorization']).toBe(BASIC);
  expect(seen?.headers['application-id']).toBe(APP);
  expect(seen?.headers['idempotency-key']).toBe('k1');
  expect(seen?.headers['content-type']).toBe('text/plain; charset=utf-8');
  expect(seen?.body).toBe('plain — text');
});

test('sends a byte body (the batch path) as it is, with its exact content-length', async () => {
  let seen: { headers: http.IncomingHttpHeaders; body: string } | undefined;
  handler = (req, res, body) => {
    seen = { headers: req.headers, body };
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
  };
  const text = '{"entries":[{"actorId":"Zoë – 日本語 ✓","action":"A"}]}';
  const response = await transport.send({ method: 'POST', path: '/api/log/batch', headers: { 'Content-Type': 'application/json' }, body: Buffer.from(text) });
  expect(response.status).toBe(200);
  expect(seen?.body).toBe(text);
  expect(seen?.headers['content-length']).toBe(String(Buffer.byteLength(text)));
  expect(seen?.headers['authorization']).toBe(BASIC);
});

test('a request header cannot override the credentials', async () => {
  let authorization: string | undefined;
  handler = (req, res) => {
    authorization = req.headers.authorization;
    res.end();
  };
  await transport.send({ method: 'GET', path: '/x', headers: { Authorization: 'Basic forged' } });
  expect(authorization).toBe(BASIC);
});

test('parses JSON by content type, keeps text as text, and an empty body as undefined', async () => {
  handler = (req, res) => {
    if (req.url === '/json') res.writeHead(200, { 'Content-Type': 'application/problem+json' }).end('{"a":[1]}');
    else if (req.url === '/text') res.writeHead(200, { 'Content-Type': 'text/plain' }).end('{"looks":"like json"}');
    else if (req.url === '/bad-json') res.writeHead(500, { 'Content-Type': 'application/json' }).end('<html>oops');
    else res.writeHead(204).end();
  };
  await expect(transport.send({ method: 'GET', path: '/json', headers: {} })).resolves.toMatchObject({ body: { a: [1] } });
  await expect(transport.send({ method: 'GET', path: '/text', headers: {} })).resolves.toMatchObject({ body: '{"looks":"like json"}' });
  await expect(transport.send({ method: 'GET', path: '/bad-json', headers: {} })).resolves.toMatchObject({ status: 500, body: '<html>oops' });
  await expect(transport.send({ method: 'DELETE', path: '/empty', headers: {} })).resolves.toMatchObject({ status: 204, body: undefined });
});

test('resolves with error statuses instead of rejecting', async () => {
  handler = (_req, res) => res.writeHead(503, { 'Retry-After': '3' }).end();
  const response = await transport.send({ method: 'GET', path: '/', headers: {} });
  expect(response.status).toBe(503);
  expect(response.headers['retry-after']).toBe('3');
});

test('does not follow redirects (they would carry the credentials elsewhere)', async () => {
  let hits = 0;
  handler = (req, res) => {
    hits += 1;
    if (req.url === '/start') res.writeHead(307, { Location: '/elsewhere' }).end();
    else res.end('followed');
  };
  const response = await transport.send({ method: 'GET', path: '/start', headers: {} });
  expect(response.status).toBe(307);
  expect(hits).toBe(1);
});

test('the deadline covers a response that starts but never finishes', async () => {
  const slow = makeTransport(100);
  handler = (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write('{"partial":');
  };
  const error: unknown = await slow.send({ method: 'GET', path: '/slow', headers: {} }).catch((caught: unknown) => caught);
  slow.close();
  expect(error).toBeInstanceOf(NetworkError);
  expect((error as NetworkError).code).toBe('ETIMEDOUT');
  expect((error as NetworkError).message).toContain(`GET /slow could not reach the audit-trail service at ${baseUrl}`);
});

test('a caller signal aborts the request', async () => {
  handler = () => undefined;
  const controller = new AbortController();
  const pending = transport.send({ method: 'GET', path: '/hang', headers: {} }, { signal: controller.signal });
  controller.abort();
  await expect(pending).rejects.toMatchObject({ name: 'NetworkError', code: 'ABORTED' });
});

test('a refused connection is ECONNREFUSED', async () => {
  // A port that was just free: listen, note it, close.
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const refused = new AxiosTransport({
    baseUrl: `http://127.0.0.1:${port}`,
    organizationId: ORG,
    apiSecret: SECRET,
    applicationId: APP,
    timeoutMs: 2_000,
    maxSockets: 1,
  });
  const error: unknown = await refused.send({ method: 'GET', path: '/', headers: {} }).catch((caught: unknown) => caught);
  refused.close();
  expect(error).toBeInstanceOf(NetworkError);
  expect((error as NetworkError).code).toBe('ECONNREFUSED');
});

test('a connection reset by the server is ECONNRESET', async () => {
  handler = (req) => req.socket.destroy();
  const error: unknown = await transport.send({ method: 'GET', path: '/reset', headers: {} }).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(NetworkError);
  expect((error as NetworkError).code).toBe('ECONNRESET');
});
