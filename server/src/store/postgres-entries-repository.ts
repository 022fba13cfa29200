/**
 * {@link EntryRepository} on PostgreSQL. One instance per unit of work: the pool's for single statements, a
 * connection's inside {@link Store.transaction}, where `head()` locks the application's row until commit.
 * Statements are named, so each connection prepares them once. Rows are keyed by the application's integer `app`
 * (migration 9): reads name the public id as `$1`, which scopes them and comes back as the `application_id` column.
 */
import type { StoredEntry } from '@audit-trail/sdk/contract';
import { GENESIS_HASH } from '@audit-trail/sdk/contract';
import type { ActionRow, ChainHead, EntryFilter, EntryPage, EntryRepository, HashedRow } from './repositories.js';
import { entryFromRow } from './records.js';
import { pageSequenceRange, type SequenceRange } from './sequence-range.js';
import { emptyHashedRow } from './hashed-row.js';
import { STORED_ENTRY_COLUMN_LIST, appOf, entrySelectList, entryFromValues, entryJson, fillHashedRow, type EntryValues } from './entry-values.js';
import type { PgRow, Queryable } from './postgres-rows.js';
import { nullableText } from './postgres-rows.js';
import { ActionTally } from './action-tally.js';

const COLUMNS = entrySelectList('$1::text');
/** The rows of the application whose public id is `$1` (PostgreSQL evaluates the sub-select once per statement). */
const OF_APP = `app = ${appOf('$1')}`;


/** Column and value of each equality filter, in a fixed order (one named statement per combination). */
const EQUALITY_FILTERS = [
  ['actorId', 'actor_id'],
  ['action', 'action'],
  ['entityType', 'entity_type'],
  ['entityId', 'entity_id'],
  ['idempotencyKey', 'idempotency_key'],
] as const satisfies readonly (readonly [keyof EntryFilter, string])[];

export class PostgresEntryRepository implements EntryRepository {
  /** Actions of the entries inserted since the last moveHead, in this unit of work. */
  private readonly tally = new ActionTally();
  /** Inserts not yet written (see {@link insert}). */
  private pending: StoredEntry[] = [];

  /**
   * @param db - The pool, or the connection of a transaction.
   * @param inTransaction - Whether `head()` may lock (FOR UPDATE outside a transaction would lock nothing useful).
   */
  constructor(
    private readonly db: Queryable,
    private readonly inTransaction: boolean,
  ) {}

  private async rows(name: string, text: string, values: unknown[]): Promise<PgRow[]> {
    // Reads see this transaction's own inserts.
    await this.flush();
    return (await this.db.query<PgRow>({ name, text, values })).rows;
  }

  private async one(name: string, text: string, values: unknown[]): Promise<StoredEntry | undefined> {
    const [row] = await this.rows(name, text, values);
    return row && entryFromRow(row);
  }

  async head(applicationId: string): Promise<ChainHead> {
    // FOR UPDATE: the application's row is the chain's lock. A second append (any process) waits here until this
    // transaction commits, then reads the head it left. The head entry's timestamp comes along (the ledger clamps
    // a clock that stepped back to it).
    const text =
      'SELECT a.head_sequence, a.head_hash, (SELECT e.timestamp FROM entries AS e WHERE e.app = a.position AND e.sequence = a.head_sequence) AS timestamp ' +
      'FROM applications AS a WHERE a.id = $1';
    const [row] = this.inTransaction
      ? await this.rows('entries-head-lock', `${text} FOR UPDATE`, [applicationId])
      : await this.rows('entries-head', text, [applicationId]);
    if (!row) return { sequence: 0, hash: GENESIS_HASH };
    const sequence = Number(row['head_sequence']);
    let timestamp = nullableText(row['timestamp']);
    if (timestamp === null && sequence > 0) {
      // After waiting for the lock, PostgreSQL hands back the row the other append left, but the sub-select ran on
      // the statement's snapshot, taken before that append committed its entries: read the timestamp again.
      const [again] = await this.rows('entries-timestamp-at', `SELECT timestamp FROM entries WHERE ${OF_APP} AND sequence = $2`, [
        applicationId,
        sequence,
      ]);
      timestamp = nullableText(again?.['timestamp']);
    }
    return { sequence, hash: String(row['head_hash']), ...(timestamp === null ? {} : { timestamp }) };
  }

  async insert(entry: StoredEntry): Promise<void> {
    this.tally.add(entry);
    // Inside a transaction inserts wait for the next read or moveHead and go as one statement (a 500-entry batch
    // costs one round trip, not 500); the pool's instance writes at once, since no moveHead may follow.
    this.pending.push(entry);
    if (!this.inTransaction) await this.flush();
  }

  async insertMany(entries: readonly StoredEntry[]): Promise<void> {
    for (const entry of entries) {
      this.tally.add(entry);
      this.pending.push(entry);
    }
    if (!this.inTransaction) await this.flush();
  }

  /** Writes the held-back inserts, as one multi-row INSERT per application (the store calls it before COMMIT too). */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const held = this.pending;
    this.pending = [];
    const byApplication = new Map<string, StoredEntry[]>();
    for (const entry of held) {
      const list = byApplication.get(entry.applicationId);
      if (list) list.push(entry);
      else byApplication.set(entry.applicationId, [entry]);
    }
    for (const [applicationId, entries] of byApplication) await this.writeMany(applicationId, entries);
  }

  private async writeMany(applicationId: string, entries: readonly StoredEntry[]): Promise<void> {
    const column = <T>(pick: (entry: StoredEntry) => T): T[] => entries.map(pick);
    await this.db.query({
      name: 'entries-insert-many',
      text:
        // The application's key once per statement, not its id once per row. No such application: `app` is
        // NOT NULL, so the statement fails, as the foreign key on the text id made it before.
        `INSERT INTO entries (${STORED_ENTRY_COLUMN_LIST}) SELECT u.id, ${appOf('$2')}, u.sequence, u.timestamp, u.actor_id, u.action, ` +
        'u.details, u.actor_display_name, u.actor_roles, u.entity_type, u.entity_id, u.occurred_at, u.ip, u.idempotency_key, ' +
        'u.previous_hash, u.hash, u.standalone_hash, u.hash_version FROM unnest(' +
        '$1::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], ' +
        '$10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::int[]) ' +
        'AS u (id, sequence, timestamp, actor_id, action, details, actor_display_name, actor_roles, entity_type, entity_id, ' +
        'occurred_at, ip, idempotency_key, previous_hash, hash, standalone_hash, hash_version)',
      values: [
        column((e) => e.id),
        applicationId,
        column((e) => e.sequence),
        column((e) => e.timestamp),
        column((e) => e.actorId),
        column((e) => e.action),
        column((e) => (e.details === null ? null : JSON.stringify(e.details))),
        column((e) => e.actorDisplayName),
        column((e) => (e.actorRoles === null ? null : JSON.stringify(e.actorRoles))),
        column((e) => e.entityType),
        column((e) => e.entityId),
        column((e) => e.occurredAt),
        column((e) => e.ip),
        column((e) => e.idempotencyKey),
        column((e) => e.previousHash),
        column((e) => e.hash),
        column((e) => e.standaloneHash),
        column((e) => e.hashVersion),
      ],
    });
  }

  async moveHead(applicationId: string, head: ChainHead): Promise<void> {
    await this.flush();
    await this.db.query({
      name: 'entries-move-head',
      text: 'UPDATE applications SET head_sequence = $1, head_hash = $2 WHERE id = $3',
      values: [head.sequence, head.hash, applicationId],
    });
    const deltas = this.tally.drain();
    if (deltas.length === 0) return;
    // One statement for every action of the append.
    await this.db.query({
      name: 'entries-upsert-actions',
      text:
        'INSERT INTO action_summaries AS s (application_id, action, count, last_recorded_at, last_sequence) ' +
        'SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::bigint[]) ' +
        'ON CONFLICT (application_id, action) DO UPDATE SET count = s.count + excluded.count, ' +
        'last_recorded_at = excluded.last_recorded_at, last_sequence = excluded.last_sequence',
      values: [
        deltas.map((d) => d.applicationId),
        deltas.map((d) => d.action),
        deltas.map((d) => d.count),
        deltas.map((d) => d.lastRecordedAt),
        deltas.map((d) => d.lastSequence),
      ],
    });
  }

  findById(applicationId: string, id: string): Promise<StoredEntry | undefined> {
    return this.one('entries-by-id', `SELECT ${COLUMNS} FROM entries WHERE ${OF_APP} AND id = $2`, [applicationId, id]);
  }

  findBySequence(applicationId: string, sequence: number): Promise<StoredEntry | undefined> {
    return this.one('entries-by-sequence', `SELECT ${COLUMNS} FROM entries WHERE ${OF_APP} AND sequence = $2`, [
      applicationId,
      sequence,
    ]);
  }

  findByIdempotencyKey(applicationId: string, key: string): Promise<StoredEntry | undefined> {
    return this.one('entries-by-key', `SELECT ${COLUMNS} FROM entries WHERE ${OF_APP} AND idempotency_key = $2`, [
      applicationId,
      key,
    ]);
  }

  async findByIdempotencyKeys(applicationId: string, keys: readonly string[]): Promise<Map<string, StoredEntry>> {
    const rows = await this.rows(
      'entries-by-keys',
      `SELECT ${COLUMNS} FROM entries WHERE ${OF_APP} AND idempotency_key = ANY($2::text[])`,
      [applicationId, [...new Set(keys)]],
    );
    return new Map(rows.map((row) => [String(row['idempotency_key']), entryFromRow(row)]));
  }

  async list(applicationId: string, filter: EntryFilter, page: EntryPage): Promise<StoredEntry[]> {
    return (await this.listValues(applicationId, filter, page)).map(entryFromValues);
  }

  async listJson(applicationId: string, filter: EntryFilter, page: EntryPage): Promise<string[]> {
    return (await this.listValues(applicationId, filter, page)).map(entryJson);
  }

  /** The rows of a listing as column values (no object per row). */
  private async listValues(applicationId: string, filter: EntryFilter, page: EntryPage): Promise<EntryValues[]> {
    const bounds = await this.sequenceBounds(applicationId, filter);
    if (bounds === undefined) return [];
    const values: unknown[] = [applicationId];
    const where = [OF_APP];
    const parameter = (value: unknown): string => {
      values.push(value);
      return `$${values.length}`;
    };
    let name = 'entries-list';
    for (const [field, column] of EQUALITY_FILTERS) {
      const value = filter[field];
      if (value !== undefined) {
        where.push(`${column} = ${parameter(value)}`);
        name += `-${field}`;
      }
    }
    // The time window and the cursor, as one sequence range (sequence-range.ts).
    const range = pageSequenceRange(bounds, page);
    if (range === undefined) return [];
    const { low, high } = range;
    if (low !== undefined) {
      where.push(`sequence >= ${parameter(low)}`);
      name += '-low';
    }
    if (high !== undefined) {
      where.push(`sequence <= ${parameter(high)}`);
      name += '-high';
    }
    name += `-${page.order}-values`;
    const text = `SELECT ${COLUMNS} FROM entries WHERE ${where.join(' AND ')} ORDER BY sequence ${page.order === 'asc' ? 'ASC' : 'DESC'} LIMIT ${parameter(page.limit)}`;
    await this.flush();
    return (await this.db.query<unknown[]>({ name, text, values, rowMode: 'array' })).rows;
  }

  /**
   * `from`/`to` as sequence bounds (inclusive): the first sequence stamped at or after `from`, the last stamped
   * before `to`, one (app, timestamp) index lookup each. `undefined` when the window holds no entry.
   */
  private async sequenceBounds(applicationId: string, filter: EntryFilter): Promise<SequenceRange | undefined> {
    const bounds: SequenceRange = {};
    if (filter.from !== undefined) {
      const [row] = await this.rows(
        'entries-first-from',
        `SELECT sequence FROM entries WHERE ${OF_APP} AND timestamp >= $2 ORDER BY timestamp ASC, sequence ASC LIMIT 1`,
        [applicationId, filter.from],
      );
      if (!row) return undefined;
      bounds.low = Number(row['sequence']);
    }
    if (filter.to !== undefined) {
      const [row] = await this.rows(
        'entries-last-before',
        `SELECT sequence FROM entries WHERE ${OF_APP} AND timestamp < $2 ORDER BY timestamp DESC, sequence DESC LIMIT 1`,
        [applicationId, filter.to],
      );
      if (!row) return undefined;
      bounds.high = Number(row['sequence']);
    }
    return bounds;
  }

  async range(applicationId: string, fromSequence: number, toSequence: number, limit: number): Promise<StoredEntry[]> {
    const rows = await this.rows(
      'entries-range',
      `SELECT ${COLUMNS} FROM entries WHERE ${OF_APP} AND sequence BETWEEN $2 AND $3 ORDER BY sequence ASC LIMIT $4`,
      [applicationId, fromSequence, toSequence, limit],
    );
    return rows.map(entryFromRow);
  }

  async visitHashedRows(applicationId: string, fromSequence: number, toSequence: number, limit: number, visit: (row: HashedRow) => void): Promise<number> {
    await this.flush();
    // Rows as arrays (no object per row), copied into one reused row object.
    const { rows } = await this.db.query<unknown[]>({
      name: 'entries-hashed-rows',
      text: `SELECT ${COLUMNS} FROM entries WHERE ${OF_APP} AND sequence BETWEEN $2 AND $3 ORDER BY sequence ASC LIMIT $4`,
      values: [applicationId, fromSequence, toSequence, limit],
      rowMode: 'array',
    });
    const row = emptyHashedRow();
    for (const values of rows) {
      fillHashedRow(row, values);
      visit(row);
    }
    return rows.length;
  }

  nextAfter(applicationId: string, sequence: number): Promise<StoredEntry | undefined> {
    return this.one(
      'entries-next-after',
      `SELECT ${COLUMNS} FROM entries WHERE ${OF_APP} AND sequence > $2 ORDER BY sequence ASC LIMIT 1`,
      [applicationId, sequence],
    );
  }

  async actions(applicationId: string, limit: number): Promise<ActionRow[]> {
    const rows = await this.rows(
      'entries-actions',
      'SELECT action, count, last_recorded_at FROM action_summaries WHERE application_id = $1 ORDER BY last_sequence DESC LIMIT $2',
      [applicationId, limit],
    );
    return rows.map((row) => ({
      action: String(row['action']),
      count: Number(row['count']),
      lastRecordedAt: String(row['last_recorded_at']),
    }));
  }
}
