/**
 * Delivery through the SDK to the real reference server (a child process on loopback):
 * (a) caller-side cost of `enqueue`; (b) entries/s: naive new-connection POSTs, awaited `log()` over keep-alive,
 * concurrent `log()` callers and batched `enqueue`, plus `log()` against the round trip of an empty keep-alive
 * request to a bare `node:http` server; (c) memory (heap + external) per queued entry; (d) the spool's cost.
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import axios from 'axios';
import { AuditTrailClient, type DeliveryOptions } from '@audit-trail/sdk';
import { PATHS, authHeaders, buildLogRequest, type Credentials, type Entry } from '@audit-trail/sdk/contract';
import { processCpuMicros, startChild, type AppServerInfo, type ReferenceServerInfo } from '../children.js';
import { interleaved, ratios, show, spread, type Report, type Suite } from '../harness.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

export const sample = (i: number): Entry => ({
  actorId: `user-${i % 1000}@example.com`,
  action: 'INVOICE_UPDATED',
  entityType: 'invoice',
  entityId: `inv_${i}`,
  details: { field: 'amount', from: 100 + (i % 50), to: 120, currency: 'EUR', requestId: `req-${i}` },
});

const median = (values: number[]): number => spread(values).median;

export class Tenants {
  private next = 0;
  constructor(private readonly server: ReferenceServerInfo) {}
  /** A fresh application for each measurement, so none runs on a chain grown by the previous one. */
  take(): Credentials {
    const credentials = this.server.tenants[this.next++];
    if (!credentials) throw new Error('the reference server child created too few tenants');
    return credentials;
  }
  client(delivery: DeliveryOptions = {}, baseUrl = this.server.baseUrl, coalesce = true): AuditTrailClient {
    return new AuditTrailClient({ baseUrl, ...this.take(), delivery, coalesce });
  }
}

/** Median CPU µs per `enqueue` over 20 timed runs of 5k entries (the queue flushed between runs). */
async function enqueueCost(tenants: Tenants): Promise<number> {
  const sdk = tenants.client();
  const entries = Array.from({ length: 5000 }, (_, i) => sample(i));
  const cpu: number[] = [];
  for (let run = 0; run < 25; run++) {
    const cpuStart = process.cpuUsage();
    for (const entry of entries) sdk.enqueue(entry);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / entries.length);
    await sdk.flush();
  }
  await sdk.close();
  return median(cpu.slice(5)); // the first runs warm up the JIT and the connections
}

export async function naive(tenants: Tenants, baseUrl: string, count: number): Promise<number> {
  const plain = axios.create({ baseURL: baseUrl, httpAgent: new http.Agent({ keepAlive: false }), validateStatus: () => true });
  const auth = authHeaders(tenants.take());
  // The server's first check of a secret is a deliberate scrypt; every other side pays it before its timing too.
  const check = await plain.get(PATHS.authCheck, { headers: auth });
  if (check.status !== 200) throw new Error(`naive auth check failed: ${check.status}`);
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const request = buildLogRequest(sample(i));
    const response = await plain.post(request.path, request.body, { headers: { ...request.headers, ...auth } });
    if (response.status !== 200 && response.status !== 201) throw new Error(`naive POST failed: ${response.status}`);
  }
  return count / ((performance.now() - start) / 1000);
}

/** Where {@link logLoops} adds the CPU µs per entry of each side, when asked to. */
export interface CpuPerEntry {
  /** This process (the SDK and its caller). */
  client: number[];
  /** The server's process, every thread (requests, SQLite, its checkpoint worker). */
  server: number[];
}

/**
 * Entries/s of `callers` concurrent loops, each awaiting one `log()` after another over keep-alive; `coalesce`:
 * the client option (concurrent calls share batch requests), on by default. With `cpu` (and the server's `pid`),
 * also the CPU each side spent per entry over the same timed window.
 */
export async function logLoops(
  tenants: Tenants,
  count: number,
  callers: number,
  coalesce = true,
  cpu?: { perEntry: CpuPerEntry; serverPid: number },
): Promise<number> {
  const sdk = tenants.client({}, undefined, coalesce);
  await sdk.log(sample(0)); // open the connection outside the timing
  let next = 0;
  const serverStart = cpu ? processCpuMicros(cpu.serverPid) : undefined;
  const clientStart = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < count) await sdk.log(sample(next++));
    }),
  );
  const rate = count / ((performance.now() - start) / 1000);
  const client = process.cpuUsage(clientStart);
  const serverEnd = cpu ? processCpuMicros(cpu.serverPid) : undefined;
  if (cpu && serverStart !== undefined && serverEnd !== undefined) {
    cpu.perEntry.client.push((client.user + client.system) / count);
    cpu.perEntry.server.push((serverEnd - serverStart) / count);
  }
  await sdk.close();
  return rate;
}

/**
 * µs per awaited `checkAuth()` (`GET /api/auth/check`) over keep-alive: the same client, transport and server
 * request path as `log()` (HTTP, Fastify, authentication, a small JSON reply) without reading a body, appending or
 * signing; what is left of `log()` above it is the append's own cost.
 */
export async function authLoops(tenants: Tenants, count: number): Promise<number> {
  const sdk = tenants.client();
  await sdk.checkAuth(); // the scrypt of a first-seen secret and the connection, outside the timing
  const start = performance.now();
  for (let i = 0; i < count; i++) await sdk.checkAuth();
  const micros = ((performance.now() - start) * 1000) / count;
  await sdk.close();
  return micros;
}

export async function batched(tenants: Tenants, count: number, delivery: DeliveryOptions = {}): Promise<number> {
  const sdk = tenants.client(delivery);
  await sdk.checkAuth(); // as log() does: the scrypt of a first-seen secret and the connection before the timing
  const start = performance.now();
  for (let i = 0; i < count; i++) sdk.enqueue(sample(i));
  await sdk.flush();
  const rate = count / ((performance.now() - start) / 1000);
  const stats = sdk.stats;
  await sdk.close();
  if (stats.delivered !== count) throw new Error(`batched run delivered ${stats.delivered} of ${count}`);
  return rate;
}

/** µs per empty request over one keep-alive connection to a bare node:http server (the floor for `log()`). */
export async function emptyRoundTrip(url: string, count: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const once = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const request = http.request(url, { method: 'POST', agent }, (response) => {
        response.resume();
        response.on('end', resolve);
      });
      request.on('error', reject);
      request.end();
    });
  await once();
  const start = performance.now();
  for (let i = 0; i < count; i++) await once();
  const micros = ((performance.now() - start) * 1000) / count;
  agent.destroy();
  return micros;
}

async function memoryPerEntry(tenants: Tenants, count: number): Promise<number> {
  // A port nothing listens on: the service is down for the whole measurement.
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as { port: number };
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const sdk = tenants.client({ maxQueuedEntries: count, retry: { baseDelayMs: 1000 } }, `http://127.0.0.1:${port}`);
  sdk.enqueue(sample(0));
  // Heap and external memory both: the queue holds each entry's JSON bytes in Buffers (outside the JS heap).
  const used = (): number => {
    const { heapUsed, external } = process.memoryUsage();
    return heapUsed + external;
  };
  // Buffers are freed by finalizers that run after a collection, not during it: a single gc() left earlier
  // measurements' buffers counted in `before` and freed by `after` (negative readings). Collect until it settles.
  const settled = async (): Promise<number> => {
    for (let round = 0; round < 4; round++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    return used();
  };
  const before = await settled();
  for (let i = 1; i < count; i++) sdk.enqueue(sample(i));
  const after = await settled();
  const pending = sdk.stats.pending;
  const result = await sdk.close({ timeoutMs: 1 });
  if (pending !== count || result.undelivered.length !== count) throw new Error('memory run: entries were not all held');
  return (after - before) / (count - 1);
}

export const deliverySuite: Suite = {
  name: 'delivery',
  description: 'SDK to reference server: enqueue cost, naive vs log() vs batched, log() vs bare round trip, heap, spool',
  async run(report: Report): Promise<void> {
    const reference = await startChild<ReferenceServerInfo>('reference-server', { BENCH_TENANTS: '64' });
    const bare = await startChild<AppServerInfo>('sink-server');
    const tenants = new Tenants(reference.info);
    // The sink checks no credentials: any of the reference server's will do, and it never grows a chain.
    const sinkTenants = new Tenants({ ...reference.info, baseUrl: bare.info.url });
    const spoolRoot = mkdtempSync(path.join(tmpdir(), 'audit-trail-bench-spool-'));
    try {
      const cost = await interleaved({ enqueue: () => enqueueCost(tenants) });
      report.row('(a) enqueue, caller CPU per entry', show(spread(cost.enqueue), 'µs', 2), '≤ 2 µs');

      // Where an awaited log()'s time goes: the CPU of each side per entry, over the same timed window.
      const logCpu: CpuPerEntry = { client: [], server: [] };
      let measuring = false;
      const b = await interleaved({
        naive: () => naive(tenants, reference.info.baseUrl, 500),
        log: () => logLoops(tenants, 1000, 1, true, measuring ? { perEntry: logCpu, serverPid: reference.pid } : undefined),
        authCheck: () => authLoops(tenants, 1000),
        logConcurrent: () => logLoops(tenants, 4000, 32),
        // The same 32 callers with coalescing off: one request per entry.
        logConcurrentSolo: () => logLoops(tenants, 4000, 32, false),
        // The same 32 callers (coalescing off) against the sink, a server that costs almost nothing: what one
        // request per entry allows the client alone.
        logConcurrentSink: () => logLoops(sinkTenants, 4000, 32, false),
        batched: () => batched(tenants, 30_000),
        rtt: async () => {
          const micros = await emptyRoundTrip(`${bare.info.url}/empty`, 2000);
          measuring = true; // the warm-up round is over (the rtt side runs last in each round)
          return micros;
        },
      }, undefined, { warmUp: true });
      report.row('(b) naive: awaited POST per entry, new connection each', show(spread(b.naive), 'entries/s'));
      report.row('(b) log(): awaited, keep-alive', show(spread(b.log), 'entries/s'), `${show(ratios(b.log, b.naive), '× naive', 2)}`);
      const logMicros = b.log.map((rate) => 1e6 / rate);
      report.row('(b) log(): µs per awaited entry', show(spread(logMicros), 'µs'), '≤ 3× bare round trip');
      report.row('(b) bare node:http keep-alive round trip (empty)', show(spread(b.rtt), 'µs'), '');
      report.row('(b) log() / bare round trip', show(ratios(logMicros, b.rtt), '×', 2), '≤ 3');
      if (logCpu.client.length > 0) {
        // The two sides take turns (the client waits for the reply), so their CPU per entry adds up to about the
        // time of one awaited log(): what each would have to shed for the ratio above.
        report.row('(b) log(): client CPU per awaited entry (this process)', show(spread(logCpu.client), 'µs'), `${show(ratios(logCpu.client, b.rtt), '× bare round trip', 2)}`);
        report.row('(b) log(): server CPU per awaited entry (its process, all threads)', show(spread(logCpu.server), 'µs'), `${show(ratios(logCpu.server, b.rtt), '× bare round trip', 2)}`);
      }
      report.row('(b) checkAuth(): µs per awaited GET /api/auth/check (same path, no body, append or signature)', show(spread(b.authCheck), 'µs'), `${show(ratios(b.authCheck, b.rtt), '× bare round trip', 2)}`);
      report.row('(b) log(): 32 concurrent callers (coalesced, the default)', show(spread(b.logConcurrent), 'entries/s'), '≥ 0.5 × batched');
      report.row('(b) concurrent log() / batched', show(ratios(b.logConcurrent, b.batched), '×', 2), '≥ 0.5');
      report.row('(b) log(): 32 concurrent callers, coalesce: false', show(spread(b.logConcurrentSolo), 'entries/s'), `${show(ratios(b.logConcurrentSolo, b.batched), '× batched', 2)}`);
      report.row('(b) log(): 32 concurrent callers, coalesce: false, zero-cost sink server (client alone)', show(spread(b.logConcurrentSink), 'entries/s'), `${show(ratios(b.logConcurrentSink, b.batched), '× batched', 2)}`);
      report.row('(b) enqueue: batched', show(spread(b.batched), 'entries/s'), `${show(ratios(b.batched, b.naive), '× naive', 1)} (≥ 20×)`);

      const heap = await interleaved({ heap: () => memoryPerEntry(tenants, 100_000) });
      report.row('(c) memory (heap + external) per queued entry, 100k queued, server down', show(spread(heap.heap), 'B'));

      let run = 0;
      const d = await interleaved({
        none: () => batched(tenants, 20_000),
        spoolBatch: () => batched(tenants, 20_000, { spool: { dir: path.join(spoolRoot, `batch-${run++}`), fsync: 'batch' } }),
        none5k: () => batched(tenants, 3000),
        spoolAlways: () => batched(tenants, 3000, { spool: { dir: path.join(spoolRoot, `always-${run++}`), fsync: 'always' } }),
      });
      report.row("(d) spool fsync 'batch': cost vs no spool", show(ratios(d.none, d.spoolBatch), '×', 2), '≤ 2×');
      report.row("(d) spool fsync 'always': cost vs no spool", show(ratios(d.none5k, d.spoolAlways), '×', 2), 'one disk flush per entry');
    } finally {
      rmSync(spoolRoot, { recursive: true, force: true });
      await bare.stop();
      await reference.stop();
    }
  },
};
