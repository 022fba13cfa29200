/**
 * The delivery benchmark (`npm run bench`): prints one table, side by side. Never run by the tests.
 *
 * (a) caller-side cost of `enqueue`, µs/op, median of repeated runs;
 * (b) entries/s delivered: naive (one awaited POST per entry, a new connection each) vs `log()` over keep-alive
 *     vs batched `enqueue`;
 * (c) heap per queued entry with 100k entries queued while the server is down;
 * (d) batched throughput with the spool (fsync 'batch', and 'always') vs without;
 * (e) a loopback HTTP app under autocannon, recording one entry per request with `enqueue`, vs the same app
 *     without the SDK (ratio of req/s).
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import autocannon from 'autocannon';
import axios from 'axios';
import { AuditTrailClient } from '@audit-trail/sdk';
import type { Entry } from '@audit-trail/sdk/contract';
import type { DeliveryOptions } from '@audit-trail/sdk';
import { authHeaders, buildLogRequest, type Credentials } from '@audit-trail/sdk/contract';
import { startChild, type AppServerInfo, type ReferenceServerInfo } from './children.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const sample = (i: number): Entry => ({
  actorId: `user-${i % 1000}@example.com`,
  action: 'INVOICE_UPDATED',
  entityType: 'invoice',
  entityId: `inv_${i}`,
  details: { field: 'amount', from: 100 + (i % 50), to: 120, currency: 'EUR', requestId: `req-${i}` },
});

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const rows: Array<[string, string, string]> = [];
const row = (what: string, value: string, target = ''): void => {
  rows.push([what, value, target]);
  process.stderr.write(`  ${what}: ${value}\n`);
};
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

let nextTenant = 0;
/** A fresh application for each measurement. */
function tenant(server: ReferenceServerInfo): Credentials {
  const credentials = server.tenants[nextTenant++];
  if (!credentials) throw new Error('the reference server child created too few tenants');
  return credentials;
}

function client(server: ReferenceServerInfo, delivery: DeliveryOptions = {}, baseUrl = server.baseUrl): AuditTrailClient {
  return new AuditTrailClient({ baseUrl, ...tenant(server), delivery });
}

/** Median wall-clock and CPU µs per `enqueue` over repeated runs (the queue is flushed between runs). */
async function enqueueCost(server: ReferenceServerInfo): Promise<{ wall: number; cpu: number }> {
  const sdk = client(server);
  const entries = Array.from({ length: 5000 }, (_, i) => sample(i));
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < 25; run++) {
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (const entry of entries) sdk.enqueue(entry);
    wall.push(Number(process.hrtime.bigint() - start) / 1000 / entries.length);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / entries.length);
    await sdk.flush();
  }
  await sdk.close();
  // The first runs warm up the JIT and the connections.
  return { wall: median(wall.slice(5)), cpu: median(cpu.slice(5)) };
}

async function naive(server: ReferenceServerInfo, count: number): Promise<number> {
  const plain = axios.create({
    baseURL: server.baseUrl,
    httpAgent: new http.Agent({ keepAlive: false }),
    validateStatus: () => true,
  });
  const auth = authHeaders(tenant(server));
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const request = buildLogRequest(sample(i));
    const response = await plain.post(request.path, request.body, { headers: { ...request.headers, ...auth } });
    if (response.status !== 200 && response.status !== 201) throw new Error(`naive POST failed: ${response.status}`);
  }
  return count / ((performance.now() - start) / 1000);
}

async function logKeepAlive(server: ReferenceServerInfo, count: number): Promise<number> {
  const sdk = client(server);
  const start = performance.now();
  for (let i = 0; i < count; i++) await sdk.log(sample(i));
  const rate = count / ((performance.now() - start) / 1000);
  await sdk.close();
  return rate;
}

async function batched(server: ReferenceServerInfo, count: number, delivery: DeliveryOptions = {}): Promise<number> {
  const sdk = client(server, delivery);
  const start = performance.now();
  for (let i = 0; i < count; i++) await sdk.enqueue(sample(i));
  await sdk.flush();
  const rate = count / ((performance.now() - start) / 1000);
  const stats = sdk.stats;
  await sdk.close();
  if (stats.delivered !== count) throw new Error(`batched run delivered ${stats.delivered} of ${count}`);
  return rate;
}

async function memoryPerEntry(server: ReferenceServerInfo, count: number): Promise<{ bytes: number; jsonBytes: number }> {
  // A port nothing listens on: the service is down for the whole measurement.
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as { port: number };
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const sdk = client(server, { maxQueuedEntries: count, retry: { baseDelayMs: 1000 } }, `http://127.0.0.1:${port}`);
  sdk.enqueue(sample(0));
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 1; i < count; i++) sdk.enqueue(sample(i));
  gc();
  const after = process.memoryUsage().heapUsed;
  const stats = sdk.stats;
  const result = await sdk.close({ timeoutMs: 1 });
  if (stats.pending !== count || result.undelivered.length !== count) throw new Error('memory run: entries were not all held');
  return { bytes: (after - before) / (count - 1), jsonBytes: stats.pendingBytes / count };
}

async function loadTest(url: string, seconds: number): Promise<number> {
  const result = await autocannon({ url, connections: 50, duration: seconds, pipelining: 1 });
  return result.requests.average;
}

/** Requests/s of the app without the SDK, and with it sending to `baseUrl` (best of two alternating runs each). */
async function appServerRatio(baseUrl: string, credentials: Credentials): Promise<{ plain: number; sdk: number }> {
  const env = (mode: string): NodeJS.ProcessEnv => ({
    BENCH_MODE: mode,
    AUDIT_BASE_URL: baseUrl,
    AUDIT_ORG: credentials.organizationId,
    AUDIT_SECRET: credentials.apiSecret,
    AUDIT_APP: credentials.applicationId,
  });
  const result = { plain: 0, sdk: 0 };
  for (const mode of ['plain', 'sdk', 'plain', 'sdk'] as const) {
    const app = await startChild<AppServerInfo>('app-server', env(mode));
    await loadTest(app.info.url, 2); // warm-up
    result[mode] = Math.max(result[mode], await loadTest(app.info.url, 8));
    await app.stop();
  }
  return result;
}

async function main(): Promise<void> {
  process.stderr.write('audit-trail delivery bench (loopback, reference server in a child process)\n');
  const reference = await startChild<ReferenceServerInfo>('reference-server');
  const server = reference.info;
  const spoolRoot = mkdtempSync(path.join(tmpdir(), 'audit-trail-bench-spool-'));
  try {
    const cost = await enqueueCost(server);
    row('(a) enqueue, caller-side cost (median of 20 runs x 5k)', `${fmt(cost.wall, 2)} µs/op (CPU ${fmt(cost.cpu, 2)} µs/op)`, '<= 2 µs/op');

    const naiveRate = await naive(server, 1000);
    row('(b) naive: awaited POST per entry, new connection each', `${fmt(naiveRate)} entries/s`, '');
    const logRate = await logKeepAlive(server, 2000);
    row('(b) log(): awaited, keep-alive', `${fmt(logRate)} entries/s (${fmt(logRate / naiveRate, 1)}x naive)`, '');
    const batchRate = await batched(server, 50_000);
    row('(b) enqueue: batched', `${fmt(batchRate)} entries/s (${fmt(batchRate / naiveRate, 1)}x naive)`, '>= 20x naive');

    const memory = await memoryPerEntry(server, 100_000);
    row('(c) heap per queued entry, 100k queued, server down', `${fmt(memory.bytes)} B (entry JSON: ${fmt(memory.jsonBytes)} B)`, '');

    const spoolBatch = await batched(server, 50_000, { spool: { dir: path.join(spoolRoot, 'batch'), fsync: 'batch' } });
    row("(d) enqueue: batched + spool (fsync 'batch')", `${fmt(spoolBatch)} entries/s (cost ${fmt(batchRate / spoolBatch, 2)}x)`, '<= 2x');
    const spoolAlways = await batched(server, 5_000, { spool: { dir: path.join(spoolRoot, 'always'), fsync: 'always' } });
    row("(d) enqueue: batched + spool (fsync 'always')", `${fmt(spoolAlways)} entries/s (cost ${fmt(batchRate / spoolAlways, 2)}x)`, '');

    const app = await appServerRatio(server.baseUrl, tenant(server));
    row('(e) loopback app, no SDK (autocannon, 50 conns, 8 s)', `${fmt(app.plain)} req/s`, '');
    row('(e) same app, enqueue per request -> reference server', `${fmt(app.sdk)} req/s (ratio ${fmt(app.sdk / app.plain, 2)})`, '>= 0.9');
    const sink = await startChild<AppServerInfo>('sink-server');
    try {
      const remote = await appServerRatio(sink.info.url, tenant(server));
      row('(e) no SDK (second pair of runs)', `${fmt(remote.plain)} req/s`, '');
      row('(e) enqueue per request -> null sink ("remote" service)', `${fmt(remote.sdk)} req/s (ratio ${fmt(remote.sdk / remote.plain, 2)})`, '>= 0.9');
    } finally {
      await sink.stop();
    }
  } finally {
    rmSync(spoolRoot, { recursive: true, force: true });
    await reference.stop();
  }
  const widths = [0, 1, 2].map((c) => Math.max(...[['measure', 'result', 'target'], ...rows].map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]): string => `| ${cells.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ')} |`;
  console.log(
    [
      `Node ${process.version}, ${cpus().length} CPUs`,
      line(['measure', 'result', 'target']),
      `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
      ...rows.map(line),
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
