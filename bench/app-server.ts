/**
 * Child process of the bench, part (e): a minimal HTTP app on 127.0.0.1 that answers every request, recording one
 * audit entry per request with `enqueue` (BENCH_MODE=sdk) or not at all (BENCH_MODE=plain). Prints `{ url }`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuditTrailClient } from '@audit-trail/sdk';

const sdk = process.env['BENCH_MODE'] === 'sdk';
const client = sdk
  ? new AuditTrailClient({
      baseUrl: process.env['AUDIT_BASE_URL'] ?? '',
      organizationId: process.env['AUDIT_ORG'] ?? '',
      apiSecret: process.env['AUDIT_SECRET'] ?? '',
      applicationId: process.env['AUDIT_APP'] ?? '',
      delivery: { whenFull: 'drop' },
    })
  : undefined;

let requests = 0;
const server = http.createServer((req, res) => {
  requests += 1;
  client?.enqueue({ actorId: 'user-42@example.com', action: 'PAGE_VIEW', details: { path: req.url ?? '/', n: requests } });
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok');
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}/` })}\n`);
});

process.once('SIGTERM', () => {
  server.close();
  void (client?.close({ timeoutMs: 5000 }) ?? Promise.resolve()).then((result) => {
    if (result && client) process.stderr.write(`app-server (sdk): ${JSON.stringify(client.stats)}\n`);
    process.exit(0);
  });
});
