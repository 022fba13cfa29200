/** {@link HookRepository} on PostgreSQL: subscriptions and the durable delivery queue. */
import type { DeliveryLease, HookDeliveryRecord, HookRecord, HookRepository } from './repositories.js';
import { HOOK_COLUMNS, DELIVERY_COLUMNS, hookFromRow, deliveryFromRow } from './records.js';
import type { PgRow, Queryable } from './postgres-rows.js';




export class PostgresHookRepository implements HookRepository {
  constructor(private readonly db: Queryable) {}

  async insert(record: HookRecord): Promise<void> {
    await this.db.query({
      name: 'hooks-insert',
      text: `INSERT INTO hooks (${HOOK_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      values: [
        record.id,
        record.applicationId,
        record.targetUrl,
        record.actorId,
        record.action,
        record.entityType,
        record.entityId,
        record.createdAt,
        record.secret,
      ],
    });
  }

  async delete(applicationId: string, id: string): Promise<boolean> {
    const result = await this.db.query({
      name: 'hooks-delete',
      text: 'DELETE FROM hooks WHERE application_id = $1 AND id = $2',
      values: [applicationId, id],
    });
    const removed = (result.rowCount ?? 0) > 0;
    if (removed) await this.db.query({ name: 'hooks-delete-deliveries', text: 'DELETE FROM hook_deliveries WHERE hook_id = $1', values: [id] });
    return removed;
  }

  async listForApplication(applicationId: string): Promise<HookRecord[]> {
    const { rows } = await this.db.query<PgRow>({
      name: 'hooks-list',
      text: `SELECT ${HOOK_COLUMNS} FROM hooks WHERE application_id = $1 ORDER BY position`,
      values: [applicationId],
    });
    return rows.map(hookFromRow);
  }

  async lockApplicationHooks(applicationId: string): Promise<void> {
    // A transaction-scoped advisory lock on the application's id (64-bit hash, namespaced), not the application
    // row: appends lock that row, and a subscription need not wait for them.
    await this.db.query({
      name: 'hooks-lock-application',
      text: "SELECT pg_advisory_xact_lock(hashtextextended('audit-trail:hooks:' || $1, 0))",
      values: [applicationId],
    });
  }

  async countForApplication(applicationId: string): Promise<number> {
    const { rows } = await this.db.query<PgRow>({
      name: 'hooks-count',
      text: 'SELECT COUNT(*) AS count FROM hooks WHERE application_id = $1',
      values: [applicationId],
    });
    return Number(rows[0]?.['count'] ?? 0);
  }

  async findById(id: string): Promise<HookRecord | undefined> {
    const { rows } = await this.db.query<PgRow>({ name: 'hooks-find', text: `SELECT ${HOOK_COLUMNS} FROM hooks WHERE id = $1`, values: [id] });
    return rows[0] && hookFromRow(rows[0]);
  }

  async enqueueDeliveries(records: readonly HookDeliveryRecord[], lease?: DeliveryLease): Promise<void> {
    if (records.length === 0) return;
    // One multi-row INSERT via unnest: a fan-out is one round trip, in the order given (position keeps it).
    await this.db.query({
      text: `INSERT INTO hook_deliveries (${DELIVERY_COLUMNS}, lease_owner, lease_expires_at)
        SELECT ${DELIVERY_COLUMNS}, $9::text, $10::bigint
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::bigint[])
          WITH ORDINALITY AS t(${DELIVERY_COLUMNS}, n)
        ORDER BY n`,
      values: [
        records.map((r) => r.id),
        records.map((r) => r.hookId),
        records.map((r) => r.applicationId),
        records.map((r) => r.organizationId),
        records.map((r) => r.entryId),
        records.map((r) => r.body),
        records.map((r) => r.attempt),
        records.map((r) => r.nextAttemptAt),
        lease?.owner ?? null,
        lease?.expiresAt ?? null,
      ],
    });
  }

  async pendingDeliveries(limit: number): Promise<HookDeliveryRecord[]> {
    const { rows } = await this.db.query<PgRow>({
      name: 'hooks-pending',
      text: `SELECT ${DELIVERY_COLUMNS} FROM hook_deliveries ORDER BY position LIMIT $1`,
      values: [limit],
    });
    return rows.map(deliveryFromRow);
  }

  async countPendingDeliveries(organizationId: string): Promise<number> {
    const { rows } = await this.db.query<PgRow>({
      name: 'hooks-count-pending',
      text: 'SELECT COUNT(*) AS count FROM hook_deliveries WHERE organization_id = $1',
      values: [organizationId],
    });
    return Number(rows[0]?.['count'] ?? 0);
  }

  async claimDeliveries(owner: string, now: number, leaseUntil: number, limit: number): Promise<HookDeliveryRecord[]> {
    // The classic queue claim: candidate rows locked with SKIP LOCKED, so concurrent claimers (other processes)
    // pass over each other's rows instead of waiting for them or taking them twice.
    const { rows } = await this.db.query<PgRow>({
      name: 'hooks-claim',
      text: `UPDATE hook_deliveries AS d SET lease_owner = $1, lease_expires_at = $3
        FROM (SELECT id FROM hook_deliveries
              WHERE next_attempt_at <= $2 AND (lease_owner IS NULL OR lease_expires_at <= $2)
              ORDER BY position LIMIT $4 FOR UPDATE SKIP LOCKED) AS c
        WHERE d.id = c.id
        RETURNING d.id, d.hook_id, d.application_id, d.organization_id, d.entry_id, d.body, d.attempt, d.next_attempt_at, d.position`,
      values: [owner, now, leaseUntil, limit],
    });
    return rows.sort((a, b) => Number(a['position']) - Number(b['position'])).map(deliveryFromRow);
  }

  async renewLease(id: string, owner: string, now: number, leaseUntil: number): Promise<boolean> {
    // A concurrent claim of the same row waits for this row lock and then re-checks the condition, so exactly one
    // of two racing processes gets the row.
    const result = await this.db.query({
      name: 'hooks-renew-lease',
      text: `UPDATE hook_deliveries SET lease_owner = $2, lease_expires_at = $4
        WHERE id = $1 AND (lease_owner = $2 OR lease_owner IS NULL OR lease_expires_at <= $3)`,
      values: [id, owner, now, leaseUntil],
    });
    return (result.rowCount ?? 0) > 0;
  }

  async releaseLeases(owner: string): Promise<void> {
    await this.db.query({
      name: 'hooks-release-leases',
      text: 'UPDATE hook_deliveries SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = $1',
      values: [owner],
    });
  }

  async rescheduleDelivery(id: string, attempt: number, nextAttemptAt: number, owner: string, leaseUntil: number): Promise<void> {
    await this.db.query({
      name: 'hooks-reschedule',
      text: 'UPDATE hook_deliveries SET attempt = $1, next_attempt_at = $2, lease_owner = $3, lease_expires_at = $4 WHERE id = $5',
      values: [attempt, nextAttemptAt, owner, leaseUntil, id],
    });
  }

  async completeDelivery(id: string): Promise<void> {
    await this.db.query({ name: 'hooks-complete', text: 'DELETE FROM hook_deliveries WHERE id = $1', values: [id] });
  }
}
