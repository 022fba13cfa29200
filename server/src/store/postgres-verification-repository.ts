/** {@link VerificationRepository} on PostgreSQL (same tables as sqlite-verification-repository.ts). */
import type { IntegrityBreakRecord, VerificationRepository, VerifiedWatermark } from './repositories.js';
import { integrityBreakFromRow, watermarkFromRow } from './records.js';
import type { PgRow, Queryable } from './postgres-rows.js';

export class PostgresVerificationRepository implements VerificationRepository {
  constructor(private readonly db: Queryable) {}

  async watermark(applicationId: string): Promise<VerifiedWatermark | undefined> {
    const { rows } = await this.db.query<PgRow>({
      name: 'verification-get',
      text: 'SELECT verified_sequence, verified_hash, verified_hash_version, verified_root, last_full_pass_at FROM verification_state WHERE application_id = $1',
      values: [applicationId],
    });
    const row = rows[0];
    return row ? watermarkFromRow(row) : undefined;
  }

  async saveWatermark(applicationId: string, w: VerifiedWatermark): Promise<void> {
    await this.db.query({
      name: 'verification-save',
      text:
        'INSERT INTO verification_state (application_id, verified_sequence, verified_hash, verified_hash_version, verified_root, last_full_pass_at) ' +
        'VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (application_id) DO UPDATE SET verified_sequence = EXCLUDED.verified_sequence, ' +
        'verified_hash = EXCLUDED.verified_hash, verified_hash_version = EXCLUDED.verified_hash_version, ' +
        'verified_root = EXCLUDED.verified_root, last_full_pass_at = EXCLUDED.last_full_pass_at',
      values: [applicationId, w.sequence, w.hash, w.hashVersion, w.root, w.lastFullPassAt],
    });
  }

  async recordBreaks(applicationId: string, breaks: readonly IntegrityBreakRecord[]): Promise<void> {
    for (const found of breaks) {
      await this.db.query({
        name: 'verification-record-break',
        text: 'INSERT INTO integrity_breaks (application_id, sequence, reason, entry_id, detected_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
        values: [applicationId, found.sequence, found.reason, found.entryId, found.detectedAt],
      });
    }
  }

  async breaks(applicationId: string, limit: number): Promise<IntegrityBreakRecord[]> {
    const { rows } = await this.db.query<PgRow>({
      name: 'verification-breaks',
      text: 'SELECT sequence, reason, entry_id, detected_at FROM integrity_breaks WHERE application_id = $1 ORDER BY sequence DESC, reason LIMIT $2',
      values: [applicationId, limit],
    });
    return rows.map(integrityBreakFromRow);
  }
}
