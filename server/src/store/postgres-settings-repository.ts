/** {@link SettingsRepository} on PostgreSQL: deployment-wide values every process of the deployment shares. */
import type { SettingsRepository } from './repositories.js';
import type { PgRow, Queryable } from './postgres-rows.js';

export class PostgresSettingsRepository implements SettingsRepository {
  constructor(private readonly db: Queryable) {}

  async keepFirst(name: string, value: string): Promise<string> {
    // Race-safe without a transaction: of processes starting together exactly one INSERT takes, and the read that
    // follows sees the committed winner (the losing INSERT waited for it).
    await this.db.query({
      name: 'settings-keep-first',
      text: 'INSERT INTO service_settings (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING',
      values: [name, value, new Date().toISOString()],
    });
    const { rows } = await this.db.query<PgRow>({ name: 'settings-read', text: 'SELECT value FROM service_settings WHERE name = $1', values: [name] });
    const stored = rows[0]?.['value'];
    if (typeof stored !== 'string') throw new Error(`setting ${name} vanished right after it was stored`);
    return stored;
  }
}
