/** {@link HookRepository} on `node:sqlite`: subscriptions and the durable delivery queue. */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { DeliveryLease, HookDeliveryRecord, HookRecord, HookRepository } from './repositories.js';
import { HOOK_COLUMNS, hookFromRow, deliveryFromRow } from './records.js';
import type { Row } from './sqlite-rows.js';




export class SqliteHookRepository implements HookRepository {
  private readonly insertStatement: StatementSync;
  private readonly deleteStatement: StatementSync;
  private readonly deleteDeliveriesOfHook: StatementSync;
  private readonly listStatement: StatementSync;
  private readonly countStatement: StatementSync;
  private readonly findStatement: StatementSync;
  private readonly enqueueStatement: StatementSync;
  private readonly pendingStatement: StatementSync;
  private readonly countPendingStatement: StatementSync;
  private readonly rescheduleStatement: StatementSync;
  private readonly completeStatement: StatementSync;
  private readonly claimStatement: StatementSync;
  private readonly renewStatement: StatementSync;
  private readonly releaseStatement: StatementSync;

  constructor(db: DatabaseSync) {
    this.insertStatement = db.prepare(`INSERT INTO hooks (${HOOK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.deleteStatement = db.prepare('DELETE FROM hooks WHERE application_id = ? AND id = ?');
    this.deleteDeliveriesOfHook = db.prepare('DELETE FROM hook_deliveries WHERE hook_id = ?');
    this.listStatement = db.prepare(`SELECT ${HOOK_COLUMNS} FROM hooks WHERE application_id = ? ORDER BY rowid`);
    this.countStatement = db.prepare('SELECT COUNT(*) AS count FROM hooks WHERE application_id = ?');
    this.findStatement = db.prepare(`SELECT ${HOOK_COLUMNS} FROM hooks WHERE id = ?`);
    this.enqueueStatement = db.prepare(
      'INSERT INTO hook_deliveries (id, hook_id, application_id, organization_id, entry_id, body, attempt, next_attempt_at, lease_owner, lease_expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.pendingStatement = db.prepare('SELECT * FROM hook_deliveries ORDER BY rowid LIMIT ?');
    this.countPendingStatement = db.prepare('SELECT COUNT(*) AS count FROM hook_deliveries WHERE organization_id = ?');
    this.rescheduleStatement = db.prepare('UPDATE hook_deliveries SET attempt = ?, next_attempt_at = ?, lease_owner = ?, lease_expires_at = ? WHERE id = ?');
    // One statement, so atomic; another process on the file waits for SQLite's write lock (busy_timeout).
    this.claimStatement = db.prepare(
      `UPDATE hook_deliveries SET lease_owner = ?, lease_expires_at = ?
       WHERE rowid IN (SELECT rowid FROM hook_deliveries WHERE next_attempt_at <= ? AND (lease_owner IS NULL OR lease_expires_at <= ?) ORDER BY rowid LIMIT ?)
       RETURNING rowid AS position, *`,
    );
    this.renewStatement = db.prepare(
      'UPDATE hook_deliveries SET lease_owner = ?, lease_expires_at = ? WHERE id = ? AND (lease_owner = ? OR lease_owner IS NULL OR lease_expires_at <= ?)',
    );
    this.releaseStatement = db.prepare('UPDATE hook_deliveries SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = ?');
    this.completeStatement = db.prepare('DELETE FROM hook_deliveries WHERE id = ?');
  }

  async insert(record: HookRecord): Promise<void> {
    this.insertStatement.run(
      record.id,
      record.applicationId,
      record.targetUrl,
      record.actorId,
      record.action,
      record.entityType,
      record.entityId,
      record.createdAt,
      record.secret,
    );
  }

  async delete(applicationId: string, id: string): Promise<boolean> {
    const removed = Number(this.deleteStatement.run(applicationId, id).changes) > 0;
    if (removed) this.deleteDeliveriesOfHook.run(id);
    return removed;
  }

  async listForApplication(applicationId: string): Promise<HookRecord[]> {
    return (this.listStatement.all(applicationId) as Row[]).map(hookFromRow);
  }

  async lockApplicationHooks(_applicationId: string): Promise<void> {
    // Nothing to do: every transaction is BEGIN IMMEDIATE, which holds the database's write lock until it ends
    // (against other processes on the file too), so a count and an insert in one transaction never interleave.
  }

  async countForApplication(applicationId: string): Promise<number> {
    return Number((this.countStatement.get(applicationId) as Row)['count']);
  }

  async findById(id: string): Promise<HookRecord | undefined> {
    const row = this.findStatement.get(id) as Row | undefined;
    return row && hookFromRow(row);
  }

  async enqueueDeliveries(records: readonly HookDeliveryRecord[], lease?: DeliveryLease): Promise<void> {
    const owner = lease?.owner ?? null;
    const expiresAt = lease?.expiresAt ?? null;
    for (const r of records) {
      this.enqueueStatement.run(r.id, r.hookId, r.applicationId, r.organizationId, r.entryId, r.body, r.attempt, r.nextAttemptAt, owner, expiresAt);
    }
  }

  async claimDeliveries(owner: string, now: number, leaseUntil: number, limit: number): Promise<HookDeliveryRecord[]> {
    const rows = this.claimStatement.all(owner, leaseUntil, now, now, limit) as Row[];
    return rows.sort((a, b) => Number(a['position']) - Number(b['position'])).map(deliveryFromRow);
  }

  async renewLease(id: string, owner: string, now: number, leaseUntil: number): Promise<boolean> {
    return Number(this.renewStatement.run(owner, leaseUntil, id, owner, now).changes) > 0;
  }

  async releaseLeases(owner: string): Promise<void> {
    this.releaseStatement.run(owner);
  }

  async pendingDeliveries(limit: number): Promise<HookDeliveryRecord[]> {
    return (this.pendingStatement.all(limit) as Row[]).map(deliveryFromRow);
  }

  async countPendingDeliveries(organizationId: string): Promise<number> {
    return Number((this.countPendingStatement.get(organizationId) as Row)['count']);
  }

  async rescheduleDelivery(id: string, attempt: number, nextAttemptAt: number, owner: string, leaseUntil: number): Promise<void> {
    this.rescheduleStatement.run(attempt, nextAttemptAt, owner, leaseUntil, id);
  }

  async completeDelivery(id: string): Promise<void> {
    this.completeStatement.run(id);
  }
}
