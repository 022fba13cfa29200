/** {@link VerificationRepository} on `node:sqlite`. */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { IntegrityBreakRecord, VerificationRepository, VerifiedWatermark } from './repositories.js';
import { integrityBreakFromRow, watermarkFromRow } from './records.js';
import type { Row } from './sqlite-rows.js';

export class SqliteVerificationRepository implements VerificationRepository {
  private readonly getStatement: StatementSync;
  private readonly saveStatement: StatementSync;
  private readonly recordStatement: StatementSync;
  private readonly breaksStatement: StatementSync;

  constructor(db: DatabaseSync) {
    this.getStatement = db.prepare(
      'SELECT verified_sequence, verified_hash, verified_hash_version, verified_root, last_full_pass_at FROM verification_state WHERE application_id = ?',
    );
    this.saveStatement = db.prepare(
      'INSERT INTO verification_state (application_id, verified_sequence, verified_hash, verified_hash_version, verified_root, last_full_pass_at) ' +
        'VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (application_id) DO UPDATE SET verified_sequence = excluded.verified_sequence, ' +
        'verified_hash = excluded.verified_hash, verified_hash_version = excluded.verified_hash_version, ' +
        'verified_root = excluded.verified_root, last_full_pass_at = excluded.last_full_pass_at',
    );
    this.recordStatement = db.prepare(
      'INSERT INTO integrity_breaks (application_id, sequence, reason, entry_id, detected_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    this.breaksStatement = db.prepare(
      'SELECT sequence, reason, entry_id, detected_at FROM integrity_breaks WHERE application_id = ? ORDER BY sequence DESC, reason LIMIT ?',
    );
  }

  async watermark(applicationId: string): Promise<VerifiedWatermark | undefined> {
    const row = this.getStatement.get(applicationId) as Row | undefined;
    return row ? watermarkFromRow(row) : undefined;
  }

  async saveWatermark(applicationId: string, watermark: VerifiedWatermark): Promise<void> {
    this.saveStatement.run(applicationId, watermark.sequence, watermark.hash, watermark.hashVersion, watermark.root, watermark.lastFullPassAt);
  }

  async recordBreaks(applicationId: string, breaks: readonly IntegrityBreakRecord[]): Promise<void> {
    for (const found of breaks) this.recordStatement.run(applicationId, found.sequence, found.reason, found.entryId, found.detectedAt);
  }

  async breaks(applicationId: string, limit: number): Promise<IntegrityBreakRecord[]> {
    return (this.breaksStatement.all(applicationId, limit) as Row[]).map(integrityBreakFromRow);
  }
}
