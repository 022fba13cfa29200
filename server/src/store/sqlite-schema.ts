/**
 * The SQLite schema. Entries are one chain per application (see docs/hash-chain.md): `(app, sequence)` is unique
 * and every query is scoped to an application, so indexes lead with it. `app` is the application's internal
 * integer key (`applications.position`), not its 40-character public id: the entries table and its six indexes
 * carry 8 bytes per row where they carried 40, which makes inserts markedly cheaper (bench/suites/ingest.ts).
 * The public id is unchanged everywhere else, and the hashes (over the public id) are untouched.
 */
export const SCHEMA_VERSION = 3;

/**
 * Columns added after a table was first released: `CREATE TABLE IF NOT EXISTS` leaves an existing table as it was,
 * so a database made by an earlier version gets them with `ALTER TABLE ... ADD COLUMN` when it is opened.
 */
export const ADDED_COLUMNS: readonly { table: string; column: string; definition: string }[] = [
  { table: 'hooks', column: 'entity_id', definition: 'TEXT' },
  // Hooks subscribed before signatures get a random secret nobody knows (FILL_HOOK_SECRETS): re-subscribe to verify.
  { table: 'hooks', column: 'secret', definition: "TEXT NOT NULL DEFAULT ''" },
  { table: 'organizations', column: 'previous_secret_salt', definition: 'BLOB' },
  { table: 'organizations', column: 'previous_secret_hash', definition: 'BLOB' },
  { table: 'organizations', column: 'previous_secret_valid_until', definition: 'TEXT' },
  // Delivery leases (hooks/dispatcher.ts): rows queued before them are free to claim.
  { table: 'hook_deliveries', column: 'lease_owner', definition: 'TEXT' },
  { table: 'hook_deliveries', column: 'lease_expires_at', definition: 'INTEGER' },
];

/** Gives every hook without a signing secret (made before signatures existed) a random one. */
export const FILL_HOOK_SECRETS_SQL = "UPDATE hooks SET secret = 'whsec_' || lower(hex(randomblob(32))) WHERE secret = ''";

/**
 * The entries table's columns (version 3). No foreign key on `app`: the repository resolves it from the
 * applications row itself (SqliteEntryRepository.appKey), and a per-row key lookup would cost every insert.
 */
const ENTRIES_COLUMNS_SQL = `
  id TEXT NOT NULL UNIQUE,
  app INTEGER NOT NULL,    -- applications.position of the entry's application
  sequence INTEGER NOT NULL,
  timestamp TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  action TEXT NOT NULL,
  details TEXT,            -- JSON of the details (a JSON string or object), NULL when absent
  actor_display_name TEXT,
  actor_roles TEXT,        -- JSON array, NULL when absent
  entity_type TEXT,
  entity_id TEXT,
  occurred_at TEXT,
  ip TEXT,
  idempotency_key TEXT,
  previous_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  standalone_hash TEXT NOT NULL,
  hash_version INTEGER NOT NULL,
  UNIQUE (app, sequence)
`;

/** The stored columns every version had, in table order (`application_id` became `app` in version 3). */
const KEPT_ENTRY_COLUMNS =
  'id, sequence, timestamp, actor_id, action, details, actor_display_name, actor_roles, entity_type, entity_id, ' +
  'occurred_at, ip, idempotency_key, previous_hash, hash, standalone_hash, hash_version';

type MigratingDatabase = { exec(sql: string): void; prepare(sql: string): { get(...values: string[]): unknown; all(): unknown[] } };

const columnsOf = (db: MigratingDatabase, table: string): string[] =>
  (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((column) => column.name);

/**
 * Version 3, run BEFORE {@link SCHEMA_SQL} (whose indexes name the new column): gives every application its
 * integer `position` and rebuilds an entries table keyed by the text `application_id` into one keyed by `app`.
 * Every row is copied as stored (ids, hashes, details byte for byte; nothing is re-hashed: the hashes cover the
 * public id, which does not change); the copy must hold as many rows as the original or nothing changes.
 */
export function rekeyEntries(db: MigratingDatabase): void {
  const hasTable = (name: string) => db.prepare("SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
  if (!hasTable('applications')) return;
  const addPosition = !columnsOf(db, 'applications').includes('position');
  const rebuild = hasTable('entries') && columnsOf(db, 'entries').includes('application_id');
  if (!addPosition && !rebuild) return;
  db.exec('BEGIN IMMEDIATE');
  try {
    if (addPosition) {
      db.exec('ALTER TABLE applications ADD COLUMN position INTEGER');
      db.exec('UPDATE applications SET position = rowid');
      db.exec('CREATE UNIQUE INDEX IF NOT EXISTS applications_by_position ON applications (position)');
    }
    if (rebuild) {
      db.exec(`CREATE TABLE entries_rekeyed (${ENTRIES_COLUMNS_SQL}) STRICT`);
      db.exec(
        `INSERT INTO entries_rekeyed (app, ${KEPT_ENTRY_COLUMNS}) SELECT a.position, ${KEPT_ENTRY_COLUMNS.split(', ').map((c) => `e.${c}`).join(', ')}
         FROM entries AS e JOIN applications AS a ON a.id = e.application_id ORDER BY e.application_id, e.sequence`,
      );
      const count = (table: string) => Number((db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n);
      const before = count('entries');
      const after = count('entries_rekeyed');
      if (before !== after) throw new Error(`rekeying the entries table copied ${after} of ${before} rows (entries of an unknown application?)`);
      // Dropping the table drops its indexes; SCHEMA_SQL creates them again on the new columns.
      db.exec('DROP TABLE entries');
      db.exec('ALTER TABLE entries_rekeyed RENAME TO entries');
    }
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS organizations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  secret_salt BLOB NOT NULL,
  secret_hash BLOB NOT NULL,
  created_at TEXT NOT NULL,
  -- The secret before the last rotation and until when it is still accepted (all NULL when none).
  previous_secret_salt BLOB,
  previous_secret_hash BLOB,
  previous_secret_valid_until TEXT
) STRICT;

CREATE TABLE IF NOT EXISTS applications (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations(id),
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  -- The chain head is kept here, not derived from MAX(sequence): removing the newest rows does not rewind it,
  -- so entries appended after a deletion leave a visible sequence gap.
  head_sequence INTEGER NOT NULL DEFAULT 0,
  head_hash TEXT NOT NULL,
  position INTEGER         -- internal integer key (1, 2, ... in creation order): what the entries table stores
) STRICT;
CREATE INDEX IF NOT EXISTS applications_by_organization ON applications (organization_id, created_at);
CREATE UNIQUE INDEX IF NOT EXISTS applications_by_position ON applications (position);

-- Per-application API keys (hash only), an option besides the organization secret.
CREATE TABLE IF NOT EXISTS application_keys (
  id TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications(id),
  organization_id TEXT NOT NULL REFERENCES organizations(id),
  secret_salt BLOB NOT NULL,
  secret_hash BLOB NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS application_keys_by_application ON application_keys (application_id, created_at);

CREATE TABLE IF NOT EXISTS entries (${ENTRIES_COLUMNS_SQL}) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS entries_by_idempotency_key ON entries (app, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS entries_by_actor ON entries (app, actor_id, sequence);
CREATE INDEX IF NOT EXISTS entries_by_action ON entries (app, action, sequence);
CREATE INDEX IF NOT EXISTS entries_by_entity ON entries (app, entity_type, entity_id, sequence);
-- The from/to filters of the list endpoint.
CREATE INDEX IF NOT EXISTS entries_by_time ON entries (app, timestamp);

-- Distinct actions per application (GET /api/actions, the Zapier dropdown) without scanning the entries:
-- maintained by the append transaction (EntryRepository.moveHead), backfilled once by upgradeSqliteSchema.
CREATE TABLE IF NOT EXISTS action_summaries (
  application_id TEXT NOT NULL REFERENCES applications(id),
  action TEXT NOT NULL,
  count INTEGER NOT NULL,
  last_recorded_at TEXT NOT NULL,  -- timestamp of its newest entry
  last_sequence INTEGER NOT NULL,  -- sequence of its newest entry (the order of the list)
  PRIMARY KEY (application_id, action)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS action_summaries_by_recency ON action_summaries (application_id, last_sequence);

-- Entries are append-only: the server has no UPDATE or DELETE statement for them. Whoever holds the file can
-- still edit it, which is what the hash chain makes visible.

-- The Merkle tree of each application's entries (server/src/merkle/tree.ts): the hash of every complete perfect
-- subtree of level >= 1, node (level, idx) covering leaves idx * 2^level onwards; leaf i is the entry with
-- sequence i + 1, its hash recomputed from the entry (leaves are not stored).
CREATE TABLE IF NOT EXISTS tree_nodes (
  application_id TEXT NOT NULL REFERENCES applications(id),
  level INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  hash BLOB NOT NULL,
  PRIMARY KEY (application_id, level, idx)
) STRICT, WITHOUT ROWID;

-- Verification state (server/src/verification): how far each chain is known to verify, and the breaks found.
-- Kept apart from the entries; someone who holds the file can edit these too, which is why a full pass re-checks
-- the whole chain periodically and why clients keep their own checkpoints.
CREATE TABLE IF NOT EXISTS verification_state (
  application_id TEXT PRIMARY KEY REFERENCES applications(id),
  verified_sequence INTEGER NOT NULL,
  verified_hash TEXT NOT NULL,
  verified_hash_version INTEGER NOT NULL,
  verified_root TEXT,
  last_full_pass_at TEXT
) STRICT;

CREATE TABLE IF NOT EXISTS integrity_breaks (
  application_id TEXT NOT NULL REFERENCES applications(id),
  sequence INTEGER NOT NULL,
  reason TEXT NOT NULL,
  entry_id TEXT,
  detected_at TEXT NOT NULL,
  PRIMARY KEY (application_id, sequence, reason)
) STRICT;

CREATE TABLE IF NOT EXISTS hooks (
  id TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES applications(id),
  target_url TEXT NOT NULL,
  actor_id TEXT,
  action TEXT,
  entity_type TEXT,
  entity_id TEXT,
  created_at TEXT NOT NULL,
  secret TEXT NOT NULL      -- HMAC key of the delivery signatures
) STRICT;
CREATE INDEX IF NOT EXISTS hooks_by_application ON hooks (application_id);

-- The durable webhook queue: a row per pending delivery (see HookDeliveryRecord).
CREATE TABLE IF NOT EXISTS hook_deliveries (
  id TEXT PRIMARY KEY,
  hook_id TEXT NOT NULL,
  application_id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  entry_id TEXT NOT NULL,
  body TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  -- Who works on the row and until when (epoch ms); NULL = nobody, free to claim (hooks/dispatcher.ts).
  lease_owner TEXT,
  lease_expires_at INTEGER
) STRICT;
CREATE INDEX IF NOT EXISTS hook_deliveries_by_organization ON hook_deliveries (organization_id);
CREATE INDEX IF NOT EXISTS hook_deliveries_by_hook ON hook_deliveries (hook_id);
`;

/**
 * Brings a database made by an older version up to {@link SCHEMA_VERSION} (after {@link SCHEMA_SQL} created what
 * was missing), tracked in SQLite's `user_version`.
 */
export function upgradeSqliteSchema(db: { exec(sql: string): void; prepare(sql: string): { get(): unknown } }): void {
  const version = Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
  if (version >= SCHEMA_VERSION) return;
  db.exec('BEGIN IMMEDIATE');
  try {
    // Version 3 (the entries table keyed by `app`) is rekeyEntries, which ran before SCHEMA_SQL.
    if (version < 2) {
      // Version 1 had no action summary: build it from the entries.
      // (Entries are keyed by `app` by now: rekeyEntries runs first.)
      db.exec(`INSERT OR REPLACE INTO action_summaries (application_id, action, count, last_recorded_at, last_sequence)
        SELECT a.id, e.action, g.count, e.timestamp, e.sequence
        FROM (SELECT app, action, COUNT(*) AS count, MAX(sequence) AS last_sequence FROM entries GROUP BY app, action) AS g
        JOIN entries AS e ON e.app = g.app AND e.sequence = g.last_sequence
        JOIN applications AS a ON a.position = g.app`);
    }
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}
