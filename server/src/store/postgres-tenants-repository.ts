/** {@link TenantRepository} on PostgreSQL. */
import { GENESIS_HASH } from '@audit-trail/sdk/contract';
import type { ApplicationKeyRecord, ApplicationRecord, OrganizationRecord, TenantRepository } from './repositories.js';
import { ORGANIZATION_COLUMNS, KEY_COLUMNS, applicationFromRow, organizationFromRow, keyFromRow } from './records.js';
import type { PgRow, Queryable } from './postgres-rows.js';





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
      text: `SELECT ${ORGANIZATION_COLUMNS} FROM organizations WHERE id = $1`,
      values: [id],
    });
    return rows[0] && organizationFromRow(rows[0]);
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

  async listOrganizations(): Promise<OrganizationRecord[]> {
    // No insertion counter on organizations: ids break ties between equal timestamps.
    const { rows } = await this.db.query<PgRow>({
      name: 'tenants-list-organizations',
      text: `SELECT ${ORGANIZATION_COLUMNS} FROM organizations ORDER BY created_at, id`,
    });
    return rows.map(organizationFromRow);
  }

  async rotateOrganizationSecret(id: string, next: { salt: Buffer; hash: Buffer }, previousValidUntil: string): Promise<boolean> {
    // The SET right-hand sides read the row as it was: the current secret becomes the previous one.
    const result = await this.db.query({
      name: 'tenants-rotate-organization-secret',
      text: `UPDATE organizations SET previous_secret_salt = secret_salt, previous_secret_hash = secret_hash,
               previous_secret_valid_until = $1, secret_salt = $2, secret_hash = $3 WHERE id = $4`,
      values: [previousValidUntil, next.salt, next.hash, id],
    });
    return (result.rowCount ?? 0) > 0;
  }

  async insertApplicationKey(record: ApplicationKeyRecord): Promise<void> {
    await this.db.query({
      name: 'tenants-insert-application-key',
      text: `INSERT INTO application_keys (${KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`,
      values: [record.id, record.applicationId, record.organizationId, record.secretSalt, record.secretHash, record.createdAt],
    });
  }

  async findApplicationKey(id: string): Promise<ApplicationKeyRecord | undefined> {
    const { rows } = await this.db.query<PgRow>({
      name: 'tenants-find-application-key',
      text: `SELECT ${KEY_COLUMNS} FROM application_keys WHERE id = $1`,
      values: [id],
    });
    return rows[0] && keyFromRow(rows[0]);
  }

  async listApplicationKeys(applicationId: string): Promise<ApplicationKeyRecord[]> {
    const { rows } = await this.db.query<PgRow>({
      name: 'tenants-list-application-keys',
      text: `SELECT ${KEY_COLUMNS} FROM application_keys WHERE application_id = $1 ORDER BY created_at, position`,
      values: [applicationId],
    });
    return rows.map(keyFromRow);
  }

  async deleteApplicationKey(applicationId: string, id: string): Promise<boolean> {
    const result = await this.db.query({
      name: 'tenants-delete-application-key',
      text: 'DELETE FROM application_keys WHERE application_id = $1 AND id = $2',
      values: [applicationId, id],
    });
    return (result.rowCount ?? 0) > 0;
  }

  /**
   * Another server process on the same database may change tenants at any time, and nothing here would learn of it
   * without a query per request: PostgreSQL answers every lookup itself (no tenant cache).
   */
  async changeToken(): Promise<string | undefined> {
    return undefined;
  }
}
