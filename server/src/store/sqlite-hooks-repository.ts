/** {@link HookRepository} on `node:sqlite`. */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { HookRecord, HookRepository } from './repositories.js';
import { nullableText, type Row } from './sqlite-rows.js';

export class SqliteHookRepository implements HookRepository {
  private readonly insertStatement: StatementSync;
  private readonly deleteStatement: StatementSync;
  private readonly listStatement: StatementSync;

  constructor(db: DatabaseSync) {
    this.insertStatement = db.prepare(
      'INSERT INTO hooks (id, application_id, target_url, actor_id, action, entity_type, entity_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.deleteStatement = db.prepare('DELETE FROM hooks WHERE application_id = ? AND id = ?');
    this.listStatement = db.prepare(
      'SELECT id, application_id, target_url, actor_id, action, entity_type, entity_id, created_at FROM hooks WHERE application_id = ? ORDER BY rowid',
    );
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
    );
  }

  async delete(applicationId: string, id: string): Promise<boolean> {
    return Number(this.deleteStatement.run(applicationId, id).changes) > 0;
  }

  async listForApplication(applicationId: string): Promise<HookRecord[]> {
    return (this.listStatement.all(applicationId) as Row[]).map((row) => ({
      id: String(row['id']),
      applicationId: String(row['application_id']),
      targetUrl: String(row['target_url']),
      actorId: nullableText(row['actor_id']),
      action: nullableText(row['action']),
      entityType: nullableText(row['entity_type']),
      entityId: nullableText(row['entity_id']),
      createdAt: String(row['created_at']),
    }));
  }
}
