/**
 * Stored rows to records, for both engines: the tables and column names are the same on SQLite and PostgreSQL
 * (sqlite-schema.ts, postgres-schema.ts), so one mapping per table serves both repositories. Each engine only
 * differs in how it runs the query.
 */
import type { ChainFailureReason, StoredEntry } from '@audit-trail/sdk/contract';
import type {
  ApplicationKeyRecord,
  ApplicationRecord,
  HookDeliveryRecord,
  HookRecord,
  IntegrityBreakRecord,
  OrganizationRecord,
  VerifiedWatermark,
} from './repositories.js';

/** A result row by column name, as either driver returns it. */
export type StoredRow = Record<string, unknown>;

/** A nullable TEXT column as `string | null`. */
export const nullableText = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

/** A BLOB/BYTEA column (node:sqlite gives a Uint8Array, pg a Buffer) as a Buffer of its own. */
const bytes = (value: unknown): Buffer => Buffer.from(value as Uint8Array);

export const HOOK_COLUMNS = 'id, application_id, target_url, actor_id, action, entity_type, entity_id, created_at, secret';
export const DELIVERY_COLUMNS = 'id, hook_id, application_id, organization_id, entry_id, body, attempt, next_attempt_at';
export const ORGANIZATION_COLUMNS =
  'id, name, secret_salt, secret_hash, created_at, previous_secret_salt, previous_secret_hash, previous_secret_valid_until';
export const KEY_COLUMNS = 'id, application_id, organization_id, secret_salt, secret_hash, created_at';

export const hookFromRow = (row: StoredRow): HookRecord => ({
  id: String(row['id']),
  applicationId: String(row['application_id']),
  targetUrl: String(row['target_url']),
  actorId: nullableText(row['actor_id']),
  action: nullableText(row['action']),
  entityType: nullableText(row['entity_type']),
  entityId: nullableText(row['entity_id']),
  createdAt: String(row['created_at']),
  secret: String(row['secret']),
});

export const deliveryFromRow = (row: StoredRow): HookDeliveryRecord => ({
  id: String(row['id']),
  hookId: String(row['hook_id']),
  applicationId: String(row['application_id']),
  organizationId: String(row['organization_id']),
  entryId: String(row['entry_id']),
  body: String(row['body']),
  attempt: Number(row['attempt']),
  // PostgreSQL's BIGINT arrives as a string; epoch milliseconds fit a double exactly.
  nextAttemptAt: Number(row['next_attempt_at']),
});

export const applicationFromRow = (row: StoredRow): ApplicationRecord => ({
  id: String(row['id']),
  organizationId: String(row['organization_id']),
  name: String(row['name']),
  createdAt: String(row['created_at']),
});

export const organizationFromRow = (row: StoredRow): OrganizationRecord => ({
  id: String(row['id']),
  name: String(row['name']),
  secretSalt: bytes(row['secret_salt']),
  secretHash: bytes(row['secret_hash']),
  createdAt: String(row['created_at']),
  previousSecret:
    row['previous_secret_hash'] == null
      ? null
      : {
          salt: bytes(row['previous_secret_salt']),
          hash: bytes(row['previous_secret_hash']),
          validUntil: String(row['previous_secret_valid_until']),
        },
});

export const keyFromRow = (row: StoredRow): ApplicationKeyRecord => ({
  id: String(row['id']),
  applicationId: String(row['application_id']),
  organizationId: String(row['organization_id']),
  secretSalt: bytes(row['secret_salt']),
  secretHash: bytes(row['secret_hash']),
  createdAt: String(row['created_at']),
});

export const watermarkFromRow = (row: StoredRow): VerifiedWatermark => ({
  sequence: Number(row['verified_sequence']),
  hash: String(row['verified_hash']),
  hashVersion: Number(row['verified_hash_version']),
  root: nullableText(row['verified_root']),
  lastFullPassAt: nullableText(row['last_full_pass_at']),
});

export const integrityBreakFromRow = (row: StoredRow): IntegrityBreakRecord => ({
  sequence: Number(row['sequence']),
  reason: String(row['reason']) as ChainFailureReason,
  entryId: nullableText(row['entry_id']),
  detectedAt: String(row['detected_at']),
});

/** An entries row (by column name) as the stored entry. */
export function entryFromRow(row: StoredRow): StoredEntry {
  const details = nullableText(row['details']);
  const roles = nullableText(row['actor_roles']);
  return {
    id: String(row['id']),
    applicationId: String(row['application_id']),
    sequence: Number(row['sequence']),
    timestamp: String(row['timestamp']),
    actorId: String(row['actor_id']),
    action: String(row['action']),
    details: details === null ? null : (JSON.parse(details) as StoredEntry['details']),
    actorDisplayName: nullableText(row['actor_display_name']),
    actorRoles: roles === null ? null : (JSON.parse(roles) as string[]),
    entityType: nullableText(row['entity_type']),
    entityId: nullableText(row['entity_id']),
    occurredAt: nullableText(row['occurred_at']),
    ip: nullableText(row['ip']),
    idempotencyKey: nullableText(row['idempotency_key']),
    previousHash: String(row['previous_hash']),
    hash: String(row['hash']),
    standaloneHash: String(row['standalone_hash']),
    // As stored: verification fails an entry whose version it does not know, instead of assuming one.
    hashVersion: Number(row['hash_version']),
  };
}
