/** {@link TenantRepository} on `node:sqlite`. */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { GENESIS_HASH } from '@audit-trail/sdk/contract';
import type { ApplicationKeyRecord, ApplicationRecord, OrganizationRecord, TenantRepository } from './repositories.js';
import { ORGANIZATION_COLUMNS, applicationFromRow, organizationFromRow, keyFromRow } from './records.js';
import type { Row } from './sqlite-rows.js';





export class SqliteTenantRepository implements TenantRepository {
  private readonly insertOrg: StatementSync;
  private readonly findOrg: StatementSync;
  private readonly countOrgs: StatementSync;
  private readonly listOrgs: StatementSync;
  private readonly rotateOrg: StatementSync;
  private readonly insertApp: StatementSync;
  private readonly findApp: StatementSync;
  private readonly listApps: StatementSync;
  private readonly insertKey: StatementSync;
  private readonly findKey: StatementSync;
  private readonly listKeys: StatementSync;
  private readonly deleteKey: StatementSync;
  private readonly dataVersion: StatementSync;
  /**
   * Bumped by every change made through this connection (and again when a transaction that made one ends, see
   * {@link noteChange}): SQLite's `data_version` only moves for commits of OTHER connections.
   */
  private generation = 0;
  private dataVersionThisTurn: number | undefined;

  constructor(db: DatabaseSync) {
    this.insertOrg = db.prepare('INSERT INTO organizations (id, name, secret_salt, secret_hash, created_at) VALUES (?, ?, ?, ?, ?)');
    this.findOrg = db.prepare(`SELECT ${ORGANIZATION_COLUMNS} FROM organizations WHERE id = ?`);
    this.countOrgs = db.prepare('SELECT COUNT(*) AS count FROM organizations');
    this.listOrgs = db.prepare(`SELECT ${ORGANIZATION_COLUMNS} FROM organizations ORDER BY created_at, rowid`);
    this.rotateOrg = db.prepare(
      `UPDATE organizations SET previous_secret_salt = secret_salt, previous_secret_hash = secret_hash, previous_secret_valid_until = ?,
         secret_salt = ?, secret_hash = ? WHERE id = ?`,
    );
    this.insertApp = db.prepare(
      // position: the internal key the entries table stores (one more than the largest, read from its index).
      'INSERT INTO applications (id, organization_id, name, created_at, head_sequence, head_hash, position) ' +
        'VALUES (?, ?, ?, ?, 0, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM applications))',
    );
    this.findApp = db.prepare('SELECT id, organization_id, name, created_at FROM applications WHERE organization_id = ? AND id = ?');
    this.listApps = db.prepare(
      'SELECT id, organization_id, name, created_at FROM applications WHERE organization_id = ? ORDER BY created_at, rowid',
    );
    this.insertKey = db.prepare(
      'INSERT INTO application_keys (id, application_id, organization_id, secret_salt, secret_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.findKey = db.prepare('SELECT * FROM application_keys WHERE id = ?');
    this.listKeys = db.prepare('SELECT * FROM application_keys WHERE application_id = ? ORDER BY created_at, rowid');
    this.deleteKey = db.prepare('DELETE FROM application_keys WHERE application_id = ? AND id = ?');
    this.dataVersion = db.prepare('PRAGMA data_version');
  }

  /** How many changes this connection made to tenants (the store compares it around a transaction). */
  get changes(): number {
    return this.generation;
  }

  /** Marks tenants as changed: after each change, and when a transaction that changed them commits or rolls back. */
  noteChange(): void {
    this.generation += 1;
  }

  /**
   * `data_version` (it moves with every commit of another connection or process) and this connection's own
   * changes. `data_version` is read once per turn of the event loop (a statement costs as much as the lookups it
   * saves): a change committed elsewhere applies from this process's next turn, to every request read after it.
   * This connection's own changes apply at once.
   */
  async changeToken(): Promise<string | undefined> {
    if (this.dataVersionThisTurn === undefined) {
      this.dataVersionThisTurn = Number((this.dataVersion.get() as Row)['data_version']);
      setImmediate(() => (this.dataVersionThisTurn = undefined)).unref();
    }
    return `${this.dataVersionThisTurn}:${this.generation}`;
  }

  async insertOrganization(record: OrganizationRecord): Promise<void> {
    this.noteChange();
    this.insertOrg.run(record.id, record.name, record.secretSalt, record.secretHash, record.createdAt);
  }

  async findOrganization(id: string): Promise<OrganizationRecord | undefined> {
    const row = this.findOrg.get(id) as Row | undefined;
    return row && organizationFromRow(row);
  }

  async countOrganizations(): Promise<number> {
    return Number((this.countOrgs.get() as Row)['count']);
  }

  async listOrganizations(): Promise<OrganizationRecord[]> {
    return (this.listOrgs.all() as Row[]).map(organizationFromRow);
  }

  async rotateOrganizationSecret(id: string, next: { salt: Buffer; hash: Buffer }, previousValidUntil: string): Promise<boolean> {
    this.noteChange();
    return Number(this.rotateOrg.run(previousValidUntil, next.salt, next.hash, id).changes) > 0;
  }

  async insertApplication(record: ApplicationRecord): Promise<void> {
    this.noteChange();
    this.insertApp.run(record.id, record.organizationId, record.name, record.createdAt, GENESIS_HASH);
  }

  async findApplication(organizationId: string, applicationId: string): Promise<ApplicationRecord | undefined> {
    const row = this.findApp.get(organizationId, applicationId) as Row | undefined;
    return row && applicationFromRow(row);
  }

  async listApplications(organizationId: string): Promise<ApplicationRecord[]> {
    return (this.listApps.all(organizationId) as Row[]).map(applicationFromRow);
  }

  async insertApplicationKey(record: ApplicationKeyRecord): Promise<void> {
    this.noteChange();
    this.insertKey.run(record.id, record.applicationId, record.organizationId, record.secretSalt, record.secretHash, record.createdAt);
  }

  async findApplicationKey(id: string): Promise<ApplicationKeyRecord | undefined> {
    const row = this.findKey.get(id) as Row | undefined;
    return row && keyFromRow(row);
  }

  async listApplicationKeys(applicationId: string): Promise<ApplicationKeyRecord[]> {
    return (this.listKeys.all(applicationId) as Row[]).map(keyFromRow);
  }

  async deleteApplicationKey(applicationId: string, id: string): Promise<boolean> {
    this.noteChange();
    return Number(this.deleteKey.run(applicationId, id).changes) > 0;
  }
}
