/**
 * Tampering with the SQLite file directly (as someone with disk access would) must make verification name the
 * first bad entry, on the server (`/api/verification/chain`) and with the SDK's `verifyChain` on listed entries.
 */
import type { DatabaseSync } from 'node:sqlite';
import { PATHS, type ListResponse, type StoredEntry, type VerifyResult } from '../../sdk/src/contract/schemas.js';
import { chainHash, standaloneHash, verifyChain } from '../../sdk/src/contract/chain.js';
import type { Credentials } from '../../sdk/src/contract/wire.js';
import { sqlite } from '../src/store/sqlite-module.js';
import { useServer } from './support/use-server.js';
import { api } from './support/http.js';

const server = useServer();
let db: DatabaseSync;

beforeAll(async () => {
  db = new sqlite.DatabaseSync(server.dbPath);
});
afterAll(async () => {
  db.close();
});

/** A fresh application with six entries, so each scenario tampers with its own chain. */
async function chainOfSix(): Promise<{ credentials: Credentials; entries: StoredEntry[] }> {
  const credentials = await server.createTenant('Tamper');
  const entries = Array.from({ length: 6 }, (_, i) => ({ actorId: `user${i + 1}`, action: 'EDIT', details: { step: i + 1 } }));
  await api(server, PATHS.batch, { body: { entries }, credentials });
  return { credentials, entries: await listAsc(credentials) };
}

async function listAsc(credentials: Credentials): Promise<StoredEntry[]> {
  return (await api<ListResponse>(server, `${PATHS.entries}?order=asc&limit=1000`, { credentials })).body.entries;
}

async function verify(credentials: Credentials, query = ''): Promise<VerifyResult> {
  const response = await api<VerifyResult>(server, `${PATHS.verifyChain}${query}`, { credentials });
  expect(response.status).toBe(200);
  return response.body;
}

/** A failed verification with exactly one break, the one named. */
const oneBreak = (failure: { firstBadEntryId: string | null; firstBadSequence: number; reason: string; checked: number }) => ({
  valid: false,
  ...failure,
  breaks: [{ sequence: failure.firstBadSequence, entryId: failure.firstBadEntryId, reason: failure.reason }],
  breaksTruncated: false,
});

const at = (entries: StoredEntry[], sequence: number): StoredEntry => {
  const entry = entries.find((e) => e.sequence === sequence);
  if (!entry) throw new Error(`no entry ${sequence}`);
  return entry;
};

describe('tamper evidence', () => {
  test('an untouched chain verifies, whole and by range', async () => {
    const { credentials, entries } = await chainOfSix();
    expect(await verify(credentials)).toEqual({ valid: true, checked: 6, lastHash: at(entries, 6).hash });
    expect(await verify(credentials, '?fromSequence=2&toSequence=4')).toEqual({ valid: true, checked: 3, lastHash: at(entries, 4).hash });
  });

  test("changing one row's details names that entry", async () => {
    const { credentials, entries } = await chainOfSix();
    const victim = at(entries, 3);
    db.prepare('UPDATE entries SET details = ? WHERE id = ?').run(JSON.stringify({ step: 300 }), victim.id);
    const expected = oneBreak({ firstBadEntryId: victim.id, firstBadSequence: 3, reason: 'standalone_hash_mismatch', checked: 2 });
    expect(await verify(credentials)).toEqual(expected);
    expect(verifyChain(await listAsc(credentials))).toEqual(expected);
    // A range that ends before the change is still valid; one that covers it is not.
    expect(await verify(credentials, '?toSequence=2')).toMatchObject({ valid: true, checked: 2 });
    expect(await verify(credentials, '?fromSequence=3')).toMatchObject({ valid: false, firstBadEntryId: victim.id });
  });

  test('changing a row and recomputing its hashes names the entry after it', async () => {
    const { credentials, entries } = await chainOfSix();
    const victim = { ...at(entries, 3), details: { step: 'forged' } };
    const forgedStandalone = standaloneHash(victim);
    const forgedHash = chainHash(3, victim.previousHash, forgedStandalone);
    db.prepare('UPDATE entries SET details = ?, standalone_hash = ?, hash = ? WHERE id = ?').run(
      JSON.stringify(victim.details),
      forgedStandalone,
      forgedHash,
      victim.id,
    );
    const expected = oneBreak({ firstBadEntryId: at(entries, 4).id, firstBadSequence: 4, reason: 'previous_hash_mismatch', checked: 3 });
    expect(await verify(credentials)).toEqual(expected);
    expect(verifyChain(await listAsc(credentials))).toEqual(expected);
  });

  test('deleting one row names the entry after the gap', async () => {
    const { credentials, entries } = await chainOfSix();
    db.prepare('DELETE FROM entries WHERE id = ?').run(at(entries, 3).id);
    const expected = oneBreak({ firstBadEntryId: at(entries, 4).id, firstBadSequence: 4, reason: 'sequence_gap', checked: 2 });
    expect(await verify(credentials)).toEqual(expected);
    expect(verifyChain(await listAsc(credentials))).toEqual(expected);
    // A range starting on the deleted sequence fails at once.
    expect(await verify(credentials, '?fromSequence=3')).toMatchObject({ valid: false, firstBadEntryId: at(entries, 4).id, reason: 'sequence_gap' });
    // A range ending on it fails at the first row after it.
    expect(await verify(credentials, '?fromSequence=2&toSequence=3')).toMatchObject({ valid: false, firstBadEntryId: at(entries, 4).id });
  });

  test('deleting the newest rows is reported as entries_missing at the first removed position', async () => {
    const { credentials, entries } = await chainOfSix();
    db.prepare('DELETE FROM entries WHERE id IN (?, ?)').run(at(entries, 5).id, at(entries, 6).id);
    expect(await verify(credentials)).toEqual(oneBreak({ firstBadEntryId: null, firstBadSequence: 5, reason: 'entries_missing', checked: 4 }));
    // A range that stops before the removed rows is still intact.
    expect(await verify(credentials, '?toSequence=4')).toMatchObject({ valid: true, checked: 4 });
  });

  test('deleting the newest row is a sequence gap once the next entry is recorded', async () => {
    const { credentials, entries } = await chainOfSix();
    db.prepare('DELETE FROM entries WHERE id = ?').run(at(entries, 6).id);
    const next = await api<{ logEntryId: string; sequence: number }>(server, PATHS.log('user7', 'EDIT'), { body: 'after', credentials });
    expect(next.body.sequence).toBe(7);
    expect(await verify(credentials)).toEqual(oneBreak({ firstBadEntryId: next.body.logEntryId, firstBadSequence: 7, reason: 'sequence_gap', checked: 5 }));
  });

  test('swapping the contents of two rows names the first swapped position', async () => {
    const { credentials, entries } = await chainOfSix();
    const [third, fourth] = [at(entries, 3), at(entries, 4)];
    const read = db.prepare('SELECT * FROM entries WHERE id = ?');
    const rows = [read.get(third.id), read.get(fourth.id)] as Record<string, string | number | null>[];
    const columns = Object.keys(rows[0] as object);
    const insert = db.prepare(`INSERT INTO entries (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    db.exec('BEGIN');
    db.prepare('DELETE FROM entries WHERE id IN (?, ?)').run(third.id, fourth.id);
    // Each row's data moves to the other's position in the chain.
    insert.run(...columns.map((c) => (c === 'sequence' ? 4 : (rows[0] as Record<string, string | number | null>)[c] ?? null)));
    insert.run(...columns.map((c) => (c === 'sequence' ? 3 : (rows[1] as Record<string, string | number | null>)[c] ?? null)));
    db.exec('COMMIT');
    const listed = await listAsc(credentials);
    expect(listed.map((e) => e.id)).toEqual([entries[0], entries[1], fourth, third, entries[4], entries[5]].map((e) => e?.id));
    // Version 2 hashes the sequence, so each moved row is itself a break (version 1 saw the reorder only through
    // the links, at the first position).
    const expected = {
      valid: false,
      firstBadEntryId: fourth.id,
      firstBadSequence: 3,
      reason: 'standalone_hash_mismatch',
      checked: 2,
      breaks: [
        { sequence: 3, entryId: fourth.id, reason: 'standalone_hash_mismatch' },
        { sequence: 4, entryId: third.id, reason: 'standalone_hash_mismatch' },
        // The entry after them still links to the old fourth row, now at position 3.
        { sequence: 5, entryId: at(entries, 5).id, reason: 'previous_hash_mismatch' },
      ],
      breaksTruncated: false,
    };
    expect(await verify(credentials)).toEqual(expected);
    expect(verifyChain(listed)).toEqual(expected);
  });

  test('tampering in one application leaves the others valid', async () => {
    const { credentials } = await chainOfSix();
    expect((await verify(credentials)).valid).toBe(true);
    expect((await verify(server.credentials)).valid).toBe(true);
  });
});
