/**
 * The Merkle tree's costs (issue 8): proof generation on the real SQLite store and client-side verification
 * (µs per proof), and ingest with the tree beside the chain vs the chain alone (target: the tree costs at most 15%).
 * In process, no HTTP: these are the store's and the tree's own costs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { verifyConsistency, verifyInclusion, type Entry } from '@audit-trail/sdk/contract';
import {
  CheckpointSigner,
  appendEntries,
  consistencyProof,
  createTenant,
  inclusionProof,
  loadSigningKey,
  openSqliteStore,
  readTreeHead,
  treeRoot,
  withNodes,
} from '@audit-trail/server';
import { fmt, interleaved, ratios, show, spread, type Report, type Suite } from '../harness.js';

const TREE_SIZE = Number(process.env['BENCH_TREE_SIZE'] ?? 100_000);
const PROOFS = 2000;
const INGEST_ENTRIES = Number(process.env['BENCH_INGEST_ENTRIES'] ?? 20_000);
const BATCH = 100;

const entry = (i: number): Entry => ({
  actorId: `user${i % 997}@example.com`,
  action: 'INVOICE_UPDATED',
  entityType: 'invoice',
  entityId: `inv_${i}`,
  details: { amount: i * 3, currency: 'EUR', note: 'bench entry with a typical handful of fields' },
});

/** Deterministic pseudo-random integers in [0, bound). */
function* randomInts(bound: number, seed = 42): Generator<number> {
  let state = seed;
  for (;;) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    yield state % bound;
  }
}

export const merkleSuite: Suite = {
  name: 'merkle',
  description: `Merkle proofs (generation on SQLite, ${fmt(TREE_SIZE)}-entry tree; verification) and ingest with the tree vs the chain alone`,
  async run(report: Report): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'audit-trail-bench-merkle-'));
    const store = openSqliteStore(dir);
    const key = loadSigningKey({ dataDir: dir });
    const signer = new CheckpointSigner(key.name, key.privateKey);
    try {
      // A tree of TREE_SIZE entries to prove from.
      const { applicationId } = await createTenant(store);
      for (let i = 0; i < TREE_SIZE; i += 500) {
        await appendEntries(store, applicationId, Array.from({ length: Math.min(500, TREE_SIZE - i) }, (_, j) => entry(i + j)));
      }
      const head = await readTreeHead(store, applicationId);
      const indexes = randomInts(TREE_SIZE);
      const sizes = randomInts(TREE_SIZE - 1, 7);
      const inclusionOps = Array.from({ length: PROOFS }, () => indexes.next().value as number);
      const consistencyOps = Array.from({ length: PROOFS }, () => 1 + (sizes.next().value as number));
      const leafOf = new Map<number, Buffer>();
      for (const index of inclusionOps) {
        leafOf.set(index, await withNodes(store, applicationId, (read) => read(0, index)));
      }
      const firstRoots = new Map<number, Buffer>();
      for (const size of consistencyOps) firstRoots.set(size, await withNodes(store, applicationId, (read) => treeRoot(size, read)));

      const perOp = async (work: () => Promise<void>): Promise<number> => {
        const start = performance.now();
        await work();
        return ((performance.now() - start) * 1000) / PROOFS;
      };
      const inclusionProofs: Buffer[][] = [];
      const consistencyProofs: Buffer[][] = [];
      const timings = await interleaved({
        inclusionGenerate: () =>
          perOp(async () => {
            inclusionProofs.length = 0;
            for (const index of inclusionOps) inclusionProofs.push(await withNodes(store, applicationId, (read) => inclusionProof(index, head.size, read)));
          }),
        inclusionVerify: () =>
          perOp(async () => {
            inclusionOps.forEach((index, i) => {
              if (!verifyInclusion(index, head.size, leafOf.get(index) as Buffer, inclusionProofs[i] as Buffer[], head.root).ok) throw new Error('inclusion proof did not verify');
            });
          }),
        consistencyGenerate: () =>
          perOp(async () => {
            consistencyProofs.length = 0;
            for (const size of consistencyOps) consistencyProofs.push(await withNodes(store, applicationId, (read) => consistencyProof(size, head.size, read)));
          }),
        consistencyVerify: () =>
          perOp(async () => {
            consistencyOps.forEach((size, i) => {
              const check = verifyConsistency(size, head.size, firstRoots.get(size) as Buffer, head.root, consistencyProofs[i] as Buffer[]);
              if (!check.ok) throw new Error('consistency proof did not verify');
            });
          }),
      });
      report.row(`inclusion proof, generate (SQLite, tree of ${fmt(TREE_SIZE)})`, show(spread(timings.inclusionGenerate), 'µs/op', 1));
      report.row('inclusion proof, verify (SDK)', show(spread(timings.inclusionVerify), 'µs/op', 1));
      report.row(`consistency proof, generate (SQLite, tree of ${fmt(TREE_SIZE)})`, show(spread(timings.consistencyGenerate), 'µs/op', 1));
      report.row('consistency proof, verify (SDK)', show(spread(timings.consistencyVerify), 'µs/op', 1));

      // Ingest: fresh application per measurement, batches of BATCH, one checkpoint signed per batch with the tree.
      const ingest = async (withTree: boolean): Promise<number> => {
        const { applicationId: app } = await createTenant(store);
        const items = Array.from({ length: INGEST_ENTRIES }, (_, i) => entry(i));
        const start = performance.now();
        for (let i = 0; i < items.length; i += BATCH) {
          const { treeHead } = await appendEntries(store, app, items.slice(i, i + BATCH), undefined, withTree);
          if (withTree) signer.sign(app, treeHead);
        }
        return INGEST_ENTRIES / ((performance.now() - start) / 1000);
      };
      const rates = await interleaved({ chain: () => ingest(false), tree: () => ingest(true) });
      report.row(`ingest, chain alone (batches of ${BATCH})`, show(spread(rates.chain), 'entries/s'));
      report.row(`ingest, chain + Merkle tree + signed checkpoint per batch`, show(spread(rates.tree), 'entries/s'));
      report.row('ingest ratio tree / chain alone', show(ratios(rates.tree, rates.chain), '', 2), '≥ 0.85');
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

