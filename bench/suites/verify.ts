/**
 * Full chain verification speed (issue 12, item 3): the server's real full pass (server/src/verification: worker
 * threads, as many as the server uses (two on a 2-core machine, each walking half of the chain on its own read
 * connection, joined with a boundary check), rows read from the store, canonical bytes from the row values, the
 * contract's chain checks) over N stored entries, against its floor measured in the same run: a raw SHA-256 chain
 * recompute over the same entries' canonical bytes already in memory (SHA-256 of each entry's canonical JSON, then
 * the chained hash over the previous hash and that digest; nothing read, nothing compared), single-threaded.
 * Target: the full pass at least 0.5 of the raw recompute, pair by pair.
 *
 * The raw floor is measured twice: with a `createHash` object per digest (as the issue first measured it) and
 * with the one-shot `crypto.hash` the server itself uses since (about three times cheaper per digest here), so the
 * ratio is also shown against the floor written with the same hash API.
 */
import { createHash, hash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GENESIS_HASH, HASH_DOMAINS, canonicalEntry, type Entry, type HashVersion } from '@audit-trail/sdk/contract';
import { appendEntries, createTenant, defaultVerificationThreads, openSqliteStore, verifyInWorker } from '@audit-trail/server';
import { fmt, interleaved, ratios, show, spread, type Report, type Suite } from '../harness.js';

const ENTRIES = Number(process.env['BENCH_VERIFY_ENTRIES'] ?? 200_000);
const BATCH = 500;

/** A realistic mix: details of a few fields, every other entry with an entity, some with roles, names and keys. */
const entry = (i: number): Entry => ({
  actorId: `user${i % 997}@example.com`,
  action: i % 3 === 0 ? 'INVOICE_UPDATED' : 'LOGIN',
  ...(i % 2 === 0 ? { entityType: 'invoice', entityId: `inv_${i}` } : {}),
  ...(i % 5 === 0 ? { actorDisplayName: `User ${i % 997}`, actorRoles: ['billing', 'admin'] } : {}),
  ...(i % 7 === 0 ? { idempotencyKey: `key-${i}`, ip: '203.0.113.9' } : {}),
  details: { amount: i * 3, currency: 'EUR', note: 'bench entry with a typical handful of fields', nested: { a: [1, 2, 3], ok: true } },
});

/** The raw floor: SHA-256 chain recompute over canonical bytes in memory. Returns the last hash (hex). */
function rawChain(canonical: readonly Buffer[], versions: readonly HashVersion[]): string {
  let previous = Buffer.from(GENESIS_HASH, 'hex');
  const sequence = Buffer.alloc(8);
  const domains = { 1: Buffer.from(`${HASH_DOMAINS[1]}\0`), 2: Buffer.from(`${HASH_DOMAINS[2]}\0`) };
  for (let i = 0; i < canonical.length; i++) {
    const standalone = createHash('sha256').update(canonical[i]!).digest();
    sequence.writeBigUInt64BE(BigInt(i + 1));
    previous = createHash('sha256').update(domains[versions[i]!]).update(sequence).update(previous).update(standalone).digest();
  }
  return previous.toString('hex');
}

/** {@link rawChain} with the one-shot `crypto.hash` (no Hash object per digest). */
function rawChainOneShot(canonical: readonly Buffer[], versions: readonly HashVersion[]): string {
  let previous = Buffer.from(GENESIS_HASH, 'hex');
  const domains = { 1: Buffer.from(`${HASH_DOMAINS[1]}\0`), 2: Buffer.from(`${HASH_DOMAINS[2]}\0`) };
  const inputs = { 1: Buffer.concat([domains[1], Buffer.alloc(72)]), 2: Buffer.concat([domains[2], Buffer.alloc(72)]) };
  for (let i = 0; i < canonical.length; i++) {
    const version = versions[i]!;
    const input = inputs[version];
    const at = domains[version].length;
    input.writeBigUInt64BE(BigInt(i + 1), at);
    previous.copy(input, at + 8);
    hash('sha256', canonical[i]!, 'buffer').copy(input, at + 40);
    previous = hash('sha256', input, 'buffer');
  }
  return previous.toString('hex');
}

export const verifySuite: Suite = {
  name: 'verify',
  description: `full chain verification (the server's full pass in its worker threads, SQLite, ${fmt(ENTRIES)} entries) vs a raw SHA-256 chain recompute`,
  async run(report: Report): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'audit-trail-bench-verify-'));
    const store = openSqliteStore(dir);
    try {
      const { applicationId } = await createTenant(store);
      for (let i = 0; i < ENTRIES; i += BATCH) {
        await appendEntries(store, applicationId, Array.from({ length: Math.min(BATCH, ENTRIES - i) }, (_, j) => entry(i + j)));
      }
      const head = await store.entries.head(applicationId);
      // The raw side's input: every entry's canonical bytes (the contract's canonicalEntry), read once, up front.
      const canonical: Buffer[] = [];
      const versions: HashVersion[] = [];
      for (let next = 1; next <= head.sequence; next += 10_000) {
        for (const stored of await store.entries.range(applicationId, next, head.sequence, 10_000)) {
          canonical.push(Buffer.from(canonicalEntry(stored), 'utf8'));
          versions.push(stored.hashVersion as HashVersion);
        }
      }
      if (rawChain(canonical, versions) !== head.hash) throw new Error('the raw recompute does not reach the stored head: not the same chain');
      if (rawChainOneShot(canonical, versions) !== head.hash) throw new Error('the one-shot raw recompute does not reach the stored head');
      const threads = defaultVerificationThreads();

      const rates = await interleaved({
        fullPass: async () => {
          const started = performance.now();
          const { result } = await verifyInWorker({ source: store.readerSource, applicationId, fromSequence: 1, toSequence: head.sequence });
          const seconds = (performance.now() - started) / 1000;
          if (!result.valid || result.checked !== head.sequence) throw new Error(`full pass did not verify the chain: ${JSON.stringify(result)}`);
          return head.sequence / seconds;
        },
        raw: async () => {
          const started = performance.now();
          if (rawChain(canonical, versions) !== head.hash) throw new Error('raw recompute diverged');
          return head.sequence / ((performance.now() - started) / 1000);
        },
        rawOneShot: async () => {
          const started = performance.now();
          if (rawChainOneShot(canonical, versions) !== head.hash) throw new Error('one-shot raw recompute diverged');
          return head.sequence / ((performance.now() - started) / 1000);
        },
      });
      const workers = `${threads} worker thread${threads === 1 ? '' : 's'}`;
      report.row(`full verification, server full pass (${workers}, SQLite, ${fmt(ENTRIES)} entries)`, show(spread(rates.fullPass), 'entries/s'));
      report.row('raw SHA-256 chain recompute (canonical bytes in memory, 1 thread, createHash)', show(spread(rates.raw), 'entries/s'));
      report.row('raw SHA-256 chain recompute (same, one-shot crypto.hash)', show(spread(rates.rawOneShot), 'entries/s'));
      report.row(`verification ratio full pass (${workers}) / raw (createHash)`, show(ratios(rates.fullPass, rates.raw), '', 2), '≥ 0.5');
      report.row(`verification ratio full pass (${workers}) / raw (one-shot)`, show(ratios(rates.fullPass, rates.rawOneShot), '', 2), 'stricter floor');
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
