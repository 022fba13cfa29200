/**
 * Child process of the bench, part (e2): a stand-in for a remote audit service that costs (almost) nothing on this
 * machine. It answers `POST /api/log/batch` with a `stored` result per entry and stores nothing, so the app's req/s
 * shows the SDK's own cost rather than the reference server's CPU competing for the same 2 cores. Prints `{ url }`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BatchResponse } from '@audit-trail/sdk/contract';

let sequence = 0;
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const { entries } = JSON.parse(Buffer.concat(chunks).toString()) as { entries: unknown[] };
    const response: BatchResponse = {
      results: entries.map((_, index) => ({
        index,
        status: 'stored' as const,
        receipt: { logEntryId: `e${++sequence}`, sequence, hash: '', previousHash: '', standaloneHash: '', timestamp: '' },
      })),
      failedLogIndexes: [],
    };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(response));
  });
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
