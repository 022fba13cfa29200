/**
 * Child process of the overhead suite: a minimal HTTP app on 127.0.0.1 that answers every request, recording one
 * event per request with an SDK (BENCH_MODE = audit-trail | posthog | segment, to BENCH_SINK) or with none
 * (BENCH_MODE=plain). Prints `{ url }`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { recorder, type PeerName } from './peers.js';

const mode = process.env['BENCH_MODE'] ?? 'plain';
const sdk = mode === 'plain' ? undefined : recorder(mode as PeerName, process.env['BENCH_SINK'] ?? '');

let requests = 0;
const server = http.createServer((req, res) => {
  requests += 1;
  sdk?.record(requests, req.url ?? '/');
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok');
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}/` })}\n`);
});

process.once('SIGTERM', () => {
  server.close();
  void (sdk?.close() ?? Promise.resolve()).finally(() => process.exit(0));
});
