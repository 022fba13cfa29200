/** {@link TenantRepository} on PostgreSQL. */
import { GENESIS_HASH } from '@audit-trail/sdk/contract';
import type { ApplicationRecord, OrganizationRecord, TenantRepository } from './repositories.js';
import type { PgRow, Queryable } from './postgres-rows.js';

const applicationFromRow = (row: PgRow): ApplicationRecord => ({
  id: String(row['id']),
  organizationId: String(row['organization_id']),
  name: String(row['name']),
  createdAt: String(row['created_at']),
});

export class PostgresTenantRepository implements TenantRepository {
  constructor(private readonly db: Queryable) {}

  async insertOrganization(record: OrganizationRecord): Promise<void> {
    await this.db.query({
      name: 'tenants-insert-organization',
      text: 'INSERT INTO organizations (id, name, secret_salt, secret_hash, created_at) VALUES ($1, $2, $3, $4, $5)',
      values: [record.id, record.name, record.secretSalt, record.secretHash, record.createdAt],
    });
  }

  async findOrganization(id: string): Promise<OrganizationRecord | undefined> {
    const { rows } = await this.db.query<PgRow>({
      name: 'tenants-find-organization',
      text: 'SELECT id, name, secret_salt, secret_hash, created_at FROM organizations WHERE id = $1',
      values: [id],
    });
    const row = rows[0];
    if (!row) return undefined;
    return {
      id: String(row['id']),
      name: String(row['name']),
      secretSalt: Buffer.from(row['secret_salt'] as Buffer),
      secretHash: Buffer.from(row['secret_hash'] as Buffer),
      createdAt: String(row['created_at']),
    };
  }

  async countOrganizations(): Promise<number> {
    const { rows } = await this.db.query<PgRow>({ name: 'tenants-count-organizations', text: 'SELECT COUNT(*) AS count FROM organizations' });
    return Number(rows[0]?.['count'] ?? 0);
  }

  async insertApplication(record: ApplicationRecord): Promise<void> {
    await this.db.query({
      name: 'tenants-insert-application',
      text: 'INSERT INTO applications (id, organization_id, name, created_at, head_sequence, head_hash) VALUES ($1, $2, $3, $4, 0, $5)',
      values: [record.id, record.organizationId, record.name, record.createdAt, GENESIS_HASH],
    });
  }

  async findApplication(organizationId: string, applicationId: string): Promise<ApplicationRecord | undefined> {
    const { rows } = await this.db.query<PgRow>({
      name: 'tenants-find-application',
      text: 'SELECT id, organization_id, name, created_at FROM applications WHERE organization_id = $1 AND id = $2',
      values: [organizationId, applicationId],
    });
    return rows[0] && applicationFromRow(rows[0]);
  }

  async listApplications(organizationId: string): Promise<ApplicationRecord[]> {
    const { rows } = await this.db.query<PgRow>({
      name: 'tenants-list-applications',
      text: 'SELECT id, organization_id, name, created_at FROM applications WHERE organization_id = $1 ORDER BY created_at, position',
      values: [organizationId],
    });
    return rows.map(applicationFromRow);
  }
}
