/**
 * The PostgreSQL schema, as numbered migrations applied on start. Several server processes may start at once on
 * one database, so {@link migrate} runs under a transaction-scoped advisory lock: one process migrates, the others
 * wait and then find nothing left to do. Columns mirror sqlite-schema.ts; text that is compared or ordered
 * (timestamps, ids) uses the "C" collation so that ordering is byte order, as in SQLite, whatever the database's
 * locale.
 */
import type { Pool } from 'pg';

/** Key of the advisory lock held while migrating (an arbitrary constant: "audit-tr" in ASCII). */
const MIGRATION_LOCK = 0x61756469_74;

/** Each migration runs once, in order, in the same transaction as its version row. */
export const MIGRATIONS: readonly string[] = [
  `
CREATE TABLE organizations (
  id TEXT COLLATE "C" PRIMARY KEY,
  name TEXT NOT NULL,
  secret_salt BYTEA NOT NULL,
  secret_hash BYTEA NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE applications (
  id TEXT COLLATE "C" PRIMARY KEY,
  organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations(id),
  name TEXT NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  -- Insertion order, for listing (SQLite's rowid).
  position BIGINT GENERATED ALWAYS AS IDENTITY,
  -- The chain head is kept here, not derived from MAX(sequence): removing the newest rows does not rewind it.
  -- Appends lock this row (SELECT ... FOR UPDATE) so that appends to one application, from any number of server
  -- processes, take turns.
  head_sequence BIGINT NOT NULL DEFAULT 0,
  head_hash TEXT NOT NULL
);
CREATE INDEX applications_by_organization ON applications (organization_id, created_at, position);

CREATE TABLE entries (
  id TEXT COLLATE "C" NOT NULL UNIQUE,
  application_id TEXT COLLATE "C" NOT NULL REFERENCES applications(id),
  sequence BIGINT NOT NULL,
  timestamp TEXT COLLATE "C" NOT NULL,
  actor_id TEXT COLLATE "C" NOT NULL,
  action TEXT COLLATE "C" NOT NULL,
  details TEXT,            -- JSON text of the details, kept verbatim (jsonb would reorder keys)
  actor_display_name TEXT,
  actor_roles TEXT,        -- JSON array text
  entity_type TEXT COLLATE "C",
  entity_id TEXT COLLATE "C",
  occurred_at TEXT,
  ip TEXT,
  idempotency_key TEXT COLLATE "C",
  previous_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  standalone_hash TEXT NOT NULL,
  hash_version INTEGER NOT NULL,
  PRIMARY KEY (application_id, sequence)
);
CREATE UNIQUE INDEX entries_by_idempotency_key ON entries (application_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX entries_by_actor ON entries (application_id, actor_id, sequence);
CREATE INDEX entries_by_action ON entries (application_id, action, sequence);
CREATE INDEX entries_by_entity ON entries (application_id, entity_type, entity_id, sequence);

CREATE TABLE hooks (
  id TEXT COLLATE "C" PRIMARY KEY,
  application_id TEXT COLLATE "C" NOT NULL REFERENCES applications(id),
  target_url TEXT NOT NULL,
  actor_id TEXT,
  action TEXT,
  entity_type TEXT,
  created_at TEXT NOT NULL,
  position BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX hooks_by_application ON hooks (application_id, position);
`,
  `
-- The from/to filters of the list endpoint.
CREATE INDEX entries_by_time ON entries (application_id, timestamp);

-- Distinct actions per application (GET /api/actions, the Zapier dropdown) without scanning the entries:
-- maintained by the append transaction (EntryRepository.moveHead), built here from what is already stored.
CREATE TABLE action_summaries (
  application_id TEXT COLLATE "C" NOT NULL REFERENCES applications(id),
  action TEXT COLLATE "C" NOT NULL,
  count BIGINT NOT NULL,
  last_recorded_at TEXT COLLATE "C" NOT NULL,
  last_sequence BIGINT NOT NULL,
  PRIMARY KEY (application_id, action)
);
CREATE INDEX action_summaries_by_recency ON action_summaries (application_id, last_sequence);
INSERT INTO action_summaries (application_id, action, count, last_recorded_at, last_sequence)
  SELECT e.application_id, e.action, g.count, e.timestamp, e.sequence
  FROM (SELECT application_id, action, COUNT(*) AS count, MAX(sequence) AS last_sequence FROM entries GROUP BY application_id, action) AS g
  JOIN entries AS e ON e.application_id = g.application_id AND e.sequence = g.last_sequence;
`,
  `
-- The Merkle tree of each application's entries (server/src/merkle/tree.ts): the hash of every complete perfect
-- subtree, node (level, idx) covering leaves idx * 2^level onwards; leaf i is the entry with sequence i + 1.
CREATE TABLE tree_nodes (
  application_id TEXT COLLATE "C" NOT NULL REFERENCES applications(id),
  level INTEGER NOT NULL,
  idx BIGINT NOT NULL,
  hash BYTEA NOT NULL,
  PRIMARY KEY (application_id, level, idx)
);
`,
  `
-- Hooks may filter on the entity id too.
ALTER TABLE hooks ADD COLUMN IF NOT EXISTS entity_id TEXT;
`,
  `
-- Verification state (server/src/verification): how far each chain is known to verify, and the breaks found.
CREATE TABLE verification_state (
  application_id TEXT COLLATE "C" PRIMARY KEY REFERENCES applications(id),
  verified_sequence BIGINT NOT NULL,
  verified_hash TEXT NOT NULL,
  verified_hash_version INTEGER NOT NULL,
  verified_root TEXT,
  last_full_pass_at TEXT
);
CREATE TABLE integrity_breaks (
  application_id TEXT COLLATE "C" NOT NULL REFERENCES applications(id),
  sequence BIGINT NOT NULL,
  reason TEXT NOT NULL,
  entry_id TEXT,
  detected_at TEXT NOT NULL,
  PRIMARY KEY (application_id, sequence, reason)
);
`,
  `
-- Webhook signatures: each hook's HMAC key. Hooks subscribed before signatures get a random secret nobody knows
-- (re-subscribe to verify), as in SQLite.
ALTER TABLE hooks ADD COLUMN IF NOT EXISTS secret TEXT NOT NULL DEFAULT '';
-- Two random UUIDs per row: 244 random bits from the server's CSPRNG (gen_random_uuid is built in since PG 13).
UPDATE hooks SET secret = 'whsec_' || replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')
  WHERE secret = '';

-- The organization secret before the last rotation and until when it is still accepted (all NULL when none).
ALTER TABLE organizations ADD COLUMN IF NOT EXISTS previous_secret_salt BYTEA;
ALTER TABLE organizations ADD COLUMN IF NOT EXISTS previous_secret_hash BYTEA;
ALTER TABLE organizations ADD COLUMN IF NOT EXISTS previous_secret_valid_until TEXT COLLATE "C";

-- Per-application API keys (hash only), an option besides the organization secret.
CREATE TABLE IF NOT EXISTS application_keys (
  id TEXT COLLATE "C" PRIMARY KEY,
  application_id TEXT COLLATE "C" NOT NULL REFERENCES applications(id),
  organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations(id),
  secret_salt BYTEA NOT NULL,
  secret_hash BYTEA NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  position BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX IF NOT EXISTS application_keys_by_application ON application_keys (application_id, created_at, position);

-- The durable webhook queue: a row per pending delivery (see HookDeliveryRecord).
CREATE TABLE IF NOT EXISTS hook_deliveries (
  id TEXT COLLATE "C" PRIMARY KEY,
  hook_id TEXT COLLATE "C" NOT NULL,
  application_id TEXT COLLATE "C" NOT NULL,
  organization_id TEXT COLLATE "C" NOT NULL,
  entry_id TEXT COLLATE "C" NOT NULL,
  body TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  position BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX IF NOT EXISTS hook_deliveries_by_organization ON hook_deliveries (organization_id);
CREATE INDEX IF NOT EXISTS hook_deliveries_by_hook ON hook_deliveries (hook_id);
CREATE INDEX IF NOT EXISTS hook_deliveries_by_position ON hook_deliveries (position);
`,
  `
-- Several processes deliver from one queue: a row is worked on only by the process holding its lease
-- (server/src/hooks/dispatcher.ts); NULL = nobody, free to claim. Rows queued before this migration are free.
ALTER TABLE hook_deliveries ADD COLUMN IF NOT EXISTS lease_owner TEXT;
ALTER TABLE hook_deliveries ADD COLUMN IF NOT EXISTS lease_expires_at BIGINT;
`,
  `
-- Deployment-wide settings every process shares (SettingsRepository): the checkpoint signing key when none is
-- configured, so that every process of the deployment signs with the same key.
CREATE TABLE IF NOT EXISTS service_settings (
  name TEXT COLLATE "C" PRIMARY KEY,
  value TEXT NOT NULL,
  created_at TEXT NOT NULL
);
`,
  `
-- Entries keyed by the application's integer key (applications.position, assigned by identity on insert) instead
-- of its 40-character public id: 8 bytes instead of ~41 in the table, its primary key and its five indexes. The
-- rows keep every stored value; nothing is re-hashed (the hashes cover the public id, which does not change).
-- Idempotent (a test re-runs the later migrations on an upgraded database).
CREATE UNIQUE INDEX IF NOT EXISTS applications_by_position ON applications (position);
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = 'entries' AND column_name = 'application_id') THEN
    ALTER TABLE entries ADD COLUMN app BIGINT;
    UPDATE entries AS e SET app = a.position FROM applications AS a WHERE a.id = e.application_id;
    ALTER TABLE entries ALTER COLUMN app SET NOT NULL;
    -- Dropping the column drops the primary key and every index that named it; they come back on app.
    ALTER TABLE entries DROP COLUMN application_id;
    ALTER TABLE entries ADD PRIMARY KEY (app, sequence);
    CREATE UNIQUE INDEX entries_by_idempotency_key ON entries (app, idempotency_key) WHERE idempotency_key IS NOT NULL;
    CREATE INDEX entries_by_actor ON entries (app, actor_id, sequence);
    CREATE INDEX entries_by_action ON entries (app, action, sequence);
    CREATE INDEX entries_by_entity ON entries (app, entity_type, entity_id, sequence);
    CREATE INDEX entries_by_time ON entries (app, timestamp);
  END IF;
END
$$;
`,
];

/** Creates or upgrades the schema; safe to run from several processes at once. */
export async function migrate(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations');
    const applied = Number(rows[0]?.version ?? 0);
    for (let version = applied + 1; version <= MIGRATIONS.length; version++) {
      await client.query(MIGRATIONS[version - 1] as string);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [version, new Date().toISOString()]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
