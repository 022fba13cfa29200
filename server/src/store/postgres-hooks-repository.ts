/** {@link HookRepository} on PostgreSQL. */
import type { HookRecord, HookRepository } from './repositories.js';
import { nullableText, type PgRow, type Queryable } from './postgres-rows.js';

export class PostgresHookRepository implements HookRepository {
  constructor(private readonly db: Queryable) {}

  async insert(record: HookRecord): Promise<void> {
    await this.db.query({
      name: 'hooks-insert',
      text: 'INSERT INTO hooks (id, application_id, target_url, actor_id, action, entity_type, entity_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      values: [record.id, record.applicationId, record.targetUrl, record.actorId, record.action, record.entityType, record.entityId, record.createdAt],
    });
  }

  async delete(applicationId: string, id: string): Promise<boolean> {
    const result = await this.db.query({
      name: 'hooks-delete',
      text: 'DELETE FROM hooks WHERE application_id = $1 AND id = $2',
      values: [applicationId, id],
    });
    return (result.rowCount ?? 0) > 0;
  }

  async listForApplication(applicationId: string): Promise<HookRecord[]> {
    const { rows } = await this.db.query<PgRow>({
      name: 'hooks-list',
      text: 'SELECT id, application_id, target_url, actor_id, action, entity_type, entity_id, created_at FROM hooks WHERE application_id = $1 ORDER BY position',
      values: [applicationId],
    });
    return rows.map((row) => ({
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
