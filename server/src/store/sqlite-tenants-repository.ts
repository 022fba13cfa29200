/** {@link TenantRepository} on `node:sqlite`. */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { GENESIS_HASH } from '@audit-trail/sdk/contract';
import type { ApplicationRecord, OrganizationRecord, TenantRepository } from './repositories.js';
import type { Row } from './sqlite-rows.js';

const applicationFromRow = (row: Row): ApplicationRecord => ({
  id: String(row['id']),
  organizationId: String(row['organization_id']),
  name: String(row['name']),
  createdAt: String(row['created_at']),
});

export class SqliteTenantRepository implements TenantRepository {
  private readonly insertOrg: StatementSync;
  private readonly findOrg: StatementSync;
  private readonly countOrgs: StatementSync;
  private readonly insertApp: StatementSync;
  private readonly findApp: StatementSync;
  private readonly listApps: StatementSync;

  constructor(db: DatabaseSync) {
    this.insertOrg = db.prepare('INSERT INTO organizations (id, name, secret_salt, secret_hash, created_at) VALUES (?, ?, ?, ?, ?)');
    this.findOrg = db.prepare('SELECT id, name, secret_salt, secret_hash, created_at FROM organizations WHERE id = ?');
    this.countOrgs = db.prepare('SELECT COUNT(*) AS count FROM organizations');
    this.insertApp = db.prepare(
      'INSERT INTO applications (id, organization_id, name, created_at, head_sequence, head_hash) VALUES (?, ?, ?, ?, 0, ?)',
    );
    this.findApp = db.prepare('SELECT id, organization_id, name, created_at FROM applications WHERE organization_id = ? AND id = ?');
    this.listApps = db.prepare(
      'SELECT id, organization_id, name, created_at FROM applications WHERE organization_id = ? ORDER BY created_at, rowid',
    );
  }

  async insertOrganization(record: OrganizationRecord): Promise<void> {
    this.insertOrg.run(record.id, record.name, record.secretSalt, record.secretHash, record.createdAt);
  }

  async findOrganization(id: string): Promise<OrganizationRecord | undefined> {
    const row = this.findOrg.get(id) as Row | undefined;
    if (!row) return undefined;
    return {
      id: String(row['id']),
      name: String(row['name']),
      secretSalt: Buffer.from(row['secret_salt'] as Uint8Array),
      secretHash: Buffer.from(row['secret_hash'] as Uint8Array),
      createdAt: String(row['created_at']),
    };
  }

  async countOrganizations(): Promise<number> {
    return Number((this.countOrgs.get() as Row)['count']);
  }

  async insertApplication(record: ApplicationRecord): Promise<void> {
    this.insertApp.run(record.id, record.organizationId, record.name, record.createdAt, GENESIS_HASH);
  }

  async findApplication(organizationId: string, applicationId: string): Promise<ApplicationRecord | undefined> {
    const row = this.findApp.get(organizationId, applicationId) as Row | undefined;
    return row && applicationFromRow(row);
  }

  async listApplications(organizationId: string): Promise<ApplicationRecord[]> {
    return (this.listApps.all(organizationId) as Row[]).map(applicationFromRow);
  }
}
