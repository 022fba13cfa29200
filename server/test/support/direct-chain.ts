/**
 * Writes a valid version-2 chain straight into the SQLite file (no HTTP), fast: for tests that need a long trail
 * (a million entries in seconds). The canonical form is written out for these fixed, simple entries; the test
 * that uses it checks a sample against the contract's `canonicalEntry`.
 */
import { createHash } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { GENESIS_HASH, HASH_DOMAINS } from '../../../sdk/src/contract/chain.js';

const DOMAIN = Buffer.from(`${HASH_DOMAINS[2]}\0`, 'utf8');

/** The entry this helper stores at `sequence`, before hashing. */
export function directEntryFields(applicationId: string, sequence: number) {
  return {
    id: `00000000-0000-7000-8000-${sequence.toString(16).padStart(12, '0')}`,
    applicationId,
    sequence,
    timestamp: '2026-01-31T12:00:00.000Z',
    actorId: `user-${sequence % 97}`,
    action: 'READ',
  };
}

const ROWS_PER_INSERT = 500;

/** Appends `count` entries after the application's head, moves the head; returns the new head hash. */
export function appendDirect(db: DatabaseSync, applicationId: string, count: number): string {
  const head = db.prepare('SELECT head_sequence, head_hash, position FROM applications WHERE id = ?').get(applicationId) as {
    head_sequence: number;
    head_hash: string;
    position: number;
  };
  // Many rows per statement: the per-call cost, not SQLite, dominates a million single-row inserts.
  const statement = (rows: number) =>
    db.prepare(
      'INSERT INTO entries (id, app, sequence, timestamp, actor_id, action, previous_hash, hash, standalone_hash, hash_version) VALUES ' +
        Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, 2)').join(', '),
    );
  const full = statement(ROWS_PER_INSERT);
  let previous = Buffer.from(head.head_hash ?? GENESIS_HASH, 'hex');
  const seq = Buffer.alloc(8);
  const last = head.head_sequence + count;
  db.exec('BEGIN');
  try {
    for (let start = head.head_sequence + 1; start <= last; start += ROWS_PER_INSERT) {
      const end = Math.min(last, start + ROWS_PER_INSERT - 1);
      const values: (string | number)[] = [];
      for (let sequence = start; sequence <= end; sequence += 1) {
        const e = directEntryFields(applicationId, sequence);
        const canonical =
          `{"action":"${e.action}","actorId":"${e.actorId}","applicationId":${JSON.stringify(applicationId)},"hashVersion":2,` +
          `"id":"${e.id}","sequence":${sequence},"timestamp":"${e.timestamp}"}`;
        const standalone = createHash('sha256').update(canonical).digest();
        seq.writeBigUInt64BE(BigInt(sequence));
        const hash = createHash('sha256').update(DOMAIN).update(seq).update(previous).update(standalone).digest();
        values.push(e.id, head.position, sequence, e.timestamp, e.actorId, e.action, previous.toString('hex'), hash.toString('hex'), standalone.toString('hex'));
        previous = hash;
      }
      (end - start + 1 === ROWS_PER_INSERT ? full : statement(end - start + 1)).run(...values);
    }
    db.prepare('UPDATE applications SET head_sequence = ?, head_hash = ? WHERE id = ?').run(last, previous.toString('hex'), applicationId);
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
  return previous.toString('hex');
}
