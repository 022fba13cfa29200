/**
 * Fault injection against the real reference server, through a fault proxy: whatever the network does, every
 * entry is stored exactly once and the chain verifies. Runs on both storage backends (SQLite, PostgreSQL) and
 * prints a table of the counts for each.
 */
import { AuditTrailClient } from '../../sdk/src/client.js';
import type { DeliveryOptions } from '../../sdk/src/delivery/options.js';
import type { Credentials } from '../../sdk/src/contract/wire.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { startServer, type TestServer } from '../../server/test/support/start-server.js';
import { BACKENDS } from '../../server/test/support/postgres.js';
import { checkTrail, formatTable, type TrailRow } from './trail-check.js';

const ENTRIES = 400;
/** Small delays keep the suite fast; the policy is the production one. */
const FAST: DeliveryOptions = {
  maxBatchEntries: 25,
  flushIntervalMs: 10,
  maxConcurrentRequests: 2,
  requestTimeoutMs: 800,
  retry: { baseDelayMs: 20, maxDelayMs: 250, maxRetryAfterMs: 1500 },
};

// Each scenario runs twice (two backends) on a shared 2-core machine: room for a slow minute.
jest.setTimeout(120_000);

describe.each(BACKENDS)('delivery faults against the server on %s', (backend) => {
  let server: TestServer;
  let proxy: FaultProxy;
  const rows: TrailRow[] = [];

  beforeAll(async () => {
    server = await startServer({ backend });
    proxy = await startFaultProxy(server.baseUrl);
  });

  afterAll(async () => {
    console.log(`Fault suite (${backend}): every entry stored exactly once\n${formatTable(rows)}`);
    await proxy?.close();
    await server?.close();
  });

  /** Enqueues ENTRIES entries through the proxy for a fresh application, runs `during`, flushes and checks. */
  async function scenario(name: string, during: (client: AuditTrailClient) => Promise<void>): Promise<TrailRow> {
    const credentials: Credentials = await server.createTenant(name);
    const client = new AuditTrailClient({ baseUrl: proxy.url, ...credentials, delivery: FAST });
    for (let i = 0; i < ENTRIES; i++) client.enqueue({ actorId: `user-${i % 7}`, action: 'FAULT_TEST', details: { i } });
    await during(client);
    await client.flush();
    const stats = client.stats;
    await client.close();
    expect(proxy.pending).toBe(0);
    const row = await checkTrail(server.baseUrl, credentials, name, ENTRIES, stats);
    rows.push(row);
    expect(stats).toMatchObject({ delivered: ENTRIES, failed: 0, dropped: 0, pending: 0 });
    expect(row).toMatchObject({ stored: ENTRIES, uniqueKeys: ENTRIES, missing: 0, duplicated: 0, chainValid: true });
    return row;
  }

  it('server down for several seconds, then up', async () => {
    await proxy.down();
    const row = await scenario('down 3 s, then up', async () => {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      await proxy.up();
    });
    expect(row.retries).toBeGreaterThan(0);
  });

  it('bursts of 500 and of 429 with Retry-After', async () => {
    proxy.inject({ kind: 'status', status: 500 }, 6);
    proxy.inject({ kind: 'status', status: 429, headers: { 'retry-after': '1' } }, 3);
    proxy.inject({ kind: 'status', status: 503 }, 3);
    const row = await scenario('500/429/503 bursts', async () => undefined);
    expect(row.retries).toBeGreaterThanOrEqual(12);
  });

  it('connections reset mid-request, before and after the server stored the batch', async () => {
    for (let i = 0; i < 3; i++) {
      proxy.inject({ kind: 'reset-before' });
      proxy.inject({ kind: 'reset-after' });
    }
    const row = await scenario('resets mid-request', async () => undefined);
    expect(proxy.counts.faults['reset-after']).toBe(3);
    // The batches stored before the reset came back as duplicates on retry, and were not stored twice.
    expect(row.duplicatesSeen).toBeGreaterThan(0);
  });

  it('responses slower than the client timeout (stored, receipt lost): retries do not duplicate', async () => {
    proxy.inject({ kind: 'delay', ms: 1500 }, 4);
    const row = await scenario('slow replies > timeout', async () => undefined);
    expect(proxy.counts.faults['delay']).toBe(4);
    expect(row.duplicatesSeen).toBeGreaterThan(0);
  });
});
