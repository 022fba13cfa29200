/**
 * A range verified in parts walked at the same time (verification/split-range.ts) must give exactly what one walk
 * over the whole range gives: the same breaks, in order, bounded, and the same through/hash/version for the
 * watermark, on both backends. The scenarios put breaks at the boundary between the parts (where a part's assumed
 * start is wrong and only the join's boundary check finds it), in each part, and past the bound on reported
 * breaks. Each is checked against the breaks it must report, and against the single walk.
 */
import { MAX_REPORTED_BREAKS, type Entry } from '@audit-trail/sdk/contract';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { appendEntries } from '../src/ledger.js';
import type { ReaderSource, Store } from '../src/store/repositories.js';
import { createTenant } from '../src/tenants.js';
import { splitRange, verifyParts, type WalkPart } from '../src/verification/split-range.js';
import { verifyInWorker } from '../src/verification/run-in-worker.js';
import { verifyRangeOutcome, walkRange, type RangeOutcome, type VerifyAnchor } from '../src/verification/verify-range.js';
import { BACKENDS } from './support/postgres.js';
import { useStore } from './support/use-store.js';

/** Runs one statement (`?` placeholders) on the store's database, as someone with write access to it would. */
async function tamper(source: ReaderSource, sql: string, ...params: (string | number)[]): Promise<void> {
  if (source.engine === 'sqlite') {
    const db = new DatabaseSync(source.path);
    try {
      db.exec('PRAGMA busy_timeout = 5000;');
      db.prepare(sql).run(...params);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: source.connectionString });
  await client.connect();
  try {
    let n = 0;
    await client.query(sql.replace(/\?/g, () => `$${++n}`), params);
  } finally {
    await client.end();
  }
}

const entry = (i: number): Entry => ({ actorId: `user${i}`, action: 'EDIT', details: { step: i, zeta: true, alpha: [i] } });

describe.each(BACKENDS)('verification in parts (%s)', (backend) => {
  const store = useStore(backend, 'split-verification');

  /** A fresh application with `count` entries: every scenario tampers with a chain of its own. */
  async function chain(count: number): Promise<string> {
    const { applicationId } = await createTenant(store());
    for (let i = 0; i < count; i += 500) {
      await appendEntries(store(), applicationId, Array.from({ length: Math.min(500, count - i) }, (_, j) => entry(i + j + 1)));
    }
    return applicationId;
  }

  const inProcess = (applicationId: string): WalkPart => (part) => walkRange(store().entries, applicationId, part.fromSequence, part.toSequence, { ...part, pageSize: 7 });

  /** The range in `parts` parts (in-process walks, small pages), and the single walk over it, which must agree. */
  async function both(applicationId: string, from: number, to: number, parts: number, anchor?: VerifyAnchor): Promise<RangeOutcome> {
    const split = await verifyParts(inProcess(applicationId), splitRange(from, to, parts, 1), anchor);
    const single = await verifyRangeOutcome(store().entries, applicationId, from, to, { pageSize: 7, ...(anchor ? { anchor } : {}) });
    expect(split).toEqual(single);
    return split;
  }

  const sequenceOf = async (applicationId: string, sequence: number) => {
    const found = await store().entries.findBySequence(applicationId, sequence);
    if (!found) throw new Error(`no entry ${sequence}`);
    return found;
  };
  /** Deletes the entries at these sequences (by id: the engines key entries differently). */
  const remove = async (applicationId: string, ...sequences: number[]) => {
    const ids = await Promise.all(sequences.map(async (sequence) => (await sequenceOf(applicationId, sequence)).id));
    await tamper(store().readerSource, `DELETE FROM entries WHERE id IN (${ids.map(() => '?').join(', ')})`, ...ids);
  };
  /** Sets one column of the entries at these sequences. */
  const edit = async (applicationId: string, column: string, value: string | number, ...sequences: number[]) => {
    const ids = await Promise.all(sequences.map(async (sequence) => (await sequenceOf(applicationId, sequence)).id));
    await tamper(store().readerSource, `UPDATE entries SET ${column} = ? WHERE id IN (${ids.map(() => '?').join(', ')})`, value, ...ids);
  };
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const breaksOf = (outcome: RangeOutcome) => (outcome.result.valid ? [] : outcome.result.breaks.map((b) => [b.sequence, b.reason]));

  test('40 entries in two parts: 1-20 and 21-40', () => {
    expect(splitRange(1, 40, 2, 1)).toEqual([
      { fromSequence: 1, toSequence: 20 },
      { fromSequence: 21, toSequence: 40 },
    ]);
    expect(splitRange(1, 40, 2, 25)).toEqual([{ fromSequence: 1, toSequence: 40 }]);
    expect(splitRange(11, 13, 4, 1)).toEqual([
      { fromSequence: 11, toSequence: 11 },
      { fromSequence: 12, toSequence: 12 },
      { fromSequence: 13, toSequence: 13 },
    ]);
  });

  test('an intact chain: valid, every entry checked, the watermark at the head, in 2 and 3 parts', async () => {
    const applicationId = await chain(40);
    const head = await sequenceOf(applicationId, 40);
    for (const parts of [2, 3]) {
      const outcome = await both(applicationId, 1, 40, parts);
      expect(outcome).toEqual({ result: { valid: true, checked: 40, lastHash: head.hash }, through: 40, hash: head.hash, version: 2 });
    }
  });

  test('the last entry of the first part removed: the gap at the boundary is reported', async () => {
    const applicationId = await chain(40);
    await remove(applicationId, 20);
    // The second part alone cannot see it (nothing before it to anchor on): only the boundary check can.
    const outcome = await both(applicationId, 1, 40, 2);
    expect(breaksOf(outcome)).toEqual([[21, 'sequence_gap']]);
    expect(outcome.result).toMatchObject({ checked: 19 });
  });

  test('entries removed on both sides of the boundary: one gap, where the chain resumes', async () => {
    const applicationId = await chain(40);
    await remove(applicationId, 20, 21, 22);
    expect(breaksOf(await both(applicationId, 1, 40, 2))).toEqual([[23, 'sequence_gap']]);
  });

  test("the stored hash alone changed on the first part's last entry: one break, none invented after the boundary", async () => {
    const applicationId = await chain(40);
    await edit(applicationId, 'hash', 'f'.repeat(64), 20);
    // The second part assumed the (changed) stored hash, so on its own it reports entry 21: the join walks it again.
    const outcome = await both(applicationId, 1, 40, 2);
    expect(breaksOf(outcome)).toEqual([[20, 'hash_mismatch']]);
  });

  test("the second part's first entry no longer follows the first part's last", async () => {
    const applicationId = await chain(40);
    await edit(applicationId, 'previous_hash', 'a'.repeat(64), 21);
    expect(breaksOf(await both(applicationId, 1, 40, 2))).toEqual([[21, 'previous_hash_mismatch']]);
  });

  test('a recipe downgrade on the last entry of the first part', async () => {
    const applicationId = await chain(40);
    await edit(applicationId, 'hash_version', 1, 20);
    const outcome = await both(applicationId, 1, 40, 2);
    expect(breaksOf(outcome)).toEqual([[20, 'unknown_hash_version']]);
    expect(outcome.version).toBe(2);
  });

  test('a break in each part: both reported, in order', async () => {
    const applicationId = await chain(40);
    await edit(applicationId, 'details', JSON.stringify({ step: 'forged' }), 5, 33);
    const outcome = await both(applicationId, 1, 40, 2);
    expect(breaksOf(outcome)).toEqual([
      [5, 'standalone_hash_mismatch'],
      [33, 'standalone_hash_mismatch'],
    ]);
    expect(outcome.result).toMatchObject({ checked: 4, firstBadSequence: 5 });
  });

  test('the newest entries removed: entries_missing once, after the last part', async () => {
    const applicationId = await chain(40);
    await remove(applicationId, 38, 39, 40);
    const outcome = await both(applicationId, 1, 40, 2);
    expect(outcome.result).toMatchObject({ valid: false, breaks: [{ sequence: 38, entryId: null, reason: 'entries_missing' }] });
    expect(outcome.through).toBe(37);
  });

  test('a range continuing from an anchor (the watermark)', async () => {
    const applicationId = await chain(40);
    const tenth = await sequenceOf(applicationId, 10);
    const anchor = { hash: tenth.hash, version: tenth.hashVersion };
    expect((await both(applicationId, 11, 40, 2, anchor)).result).toMatchObject({ valid: true, checked: 30 });
    expect(breaksOf(await both(applicationId, 11, 40, 2, { hash: 'b'.repeat(64), version: 2 }))).toEqual([[11, 'previous_hash_mismatch']]);
  });

  test(`breaks in both parts beyond the bound (${MAX_REPORTED_BREAKS}): the first ones, in order, marked truncated`, async () => {
    const perPart = Math.ceil(MAX_REPORTED_BREAKS * 0.6);
    const count = 2 * perPart + 20;
    const applicationId = await chain(count);
    await edit(applicationId, 'details', JSON.stringify({ step: 'forged' }), ...range(2, perPart + 1), ...range(count - perPart + 1, count));
    const outcome = await both(applicationId, 1, count, 2);
    expect(outcome.result).toMatchObject({ valid: false, checked: 1, breaksTruncated: true });
    const sequences = outcome.result.valid ? [] : outcome.result.breaks.map((b) => b.sequence);
    const expected = [
      ...Array.from({ length: perPart }, (_, i) => i + 2),
      ...Array.from({ length: MAX_REPORTED_BREAKS - perPart }, (_, i) => count - perPart + 1 + i),
    ];
    expect(sequences).toEqual(expected);
  });

  test('in worker threads: a gap at the boundary and a break in each part, as one walk reports them', async () => {
    const applicationId = await chain(60);
    await remove(applicationId, 30);
    await edit(applicationId, 'details', JSON.stringify({ step: 'forged' }), 7, 52);
    const job = { source: store().readerSource, applicationId, fromSequence: 1, toSequence: 60 };
    const parallel = await verifyInWorker(job, { threads: 2, minPartLength: 10 });
    expect(parallel).toEqual(await verifyInWorker(job, { threads: 1 }));
    expect(parallel).toEqual(await verifyRangeOutcome(store().entries, applicationId, 1, 60));
    expect(breaksOf(parallel)).toEqual([
      [7, 'standalone_hash_mismatch'],
      [31, 'sequence_gap'],
      [52, 'standalone_hash_mismatch'],
    ]);
  });
});
