/**
 * Child process of the bench: a stand-in for a remote service that costs (almost) nothing on this machine, so a
 * measurement shows the client's own cost rather than a server competing for the same 2 cores. It answers our
 * `POST /api/log/batch` as the reference server does (server/src/routes/log.ts): a compact summary when the request
 * says `Prefer: return=minimal`, a receipt per entry otherwise; a single-entry `POST /api/log/...` with a receipt
 * (the delivery suite's client-alone ceiling for concurrent `log()`); anything else (PostHog's and Segment's batch
 * endpoints, the bare round-trip probe) gets an empty 200. Prints `{ url }`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HEADERS, PATHS, PREFER_MINIMAL, type BatchResponse, type BatchSummary, type Receipt } from '@audit-trail/sdk/contract';

/** A signed note of the size the reference server signs (origin, size, root hash, one Ed25519 signature line). */
const checkpoint = (treeSize: number): string =>
  `audit-trail.example/app_bench\n${treeSize}\n${'A'.repeat(43)}=\n\n— audit-trail.example/app_bench ${'B'.repeat(94)}==\n`;

let sequence = 0;
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    if (req.method === 'POST' && req.url?.startsWith('/api/log/') && req.url !== PATHS.batch) {
      // A single-entry log: a receipt of the reference server's shape and size, so that `log()` succeeds.
      sequence += 1;
      const receipt: Receipt = {
        logEntryId: `0192f1a2-0000-7000-8000-${String(sequence).padStart(12, '0')}`,
        sequence,
        hash: 'a'.repeat(64),
        previousHash: 'b'.repeat(64),
        standaloneHash: 'c'.repeat(64),
        timestamp: new Date().toISOString(),
        treeSize: sequence,
        checkpoint: checkpoint(sequence),
      };
      res.writeHead(201, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(receipt));
      return;
    }
    if (req.url !== PATHS.batch) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '2' });
      res.end('{}');
      return;
    }
    const { entries } = JSON.parse(Buffer.concat(chunks).toString()) as { entries: unknown[] };
    if (req.headers['prefer'] === PREFER_MINIMAL) {
      sequence += entries.length;
      const summary: BatchSummary = {
        stored: entries.length,
        duplicates: 0,
        rejected: [],
        failedLogIndexes: [],
        treeSize: sequence,
        checkpoint: checkpoint(sequence),
      };
      res.writeHead(200, { 'content-type': 'application/json', [HEADERS.preferenceApplied.toLowerCase()]: PREFER_MINIMAL });
      res.end(JSON.stringify(summary));
      return;
    }
    const response: BatchResponse = {
      results: entries.map((_, index) => ({
        index,
        status: 'stored' as const,
        receipt: { logEntryId: `e${++sequence}`, sequence, hash: '', previousHash: '', standaloneHash: '', timestamp: '', treeSize: sequence, checkpoint: '' },
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
