/** A database made before a column was added still opens, and gets the column (sqlite-schema.ts ADDED_COLUMNS). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqlite } from '../src/store/sqlite-module.js';
import { databasePath, openSqliteStore } from '../src/store/sqlite-store.js';

test('a hooks table without entity_id gets it on open, and keeps its rows', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'audit-trail-migration-'));
  try {
    const old = new sqlite.DatabaseSync(databasePath(dataDir));
    old.exec(`CREATE TABLE hooks (id TEXT PRIMARY KEY, application_id TEXT NOT NULL, target_url TEXT NOT NULL,
      actor_id TEXT, action TEXT, entity_type TEXT, created_at TEXT NOT NULL) STRICT;
      INSERT INTO hooks VALUES ('h1', 'app_1', 'https://hooks.example.test/1', NULL, 'LOGIN', NULL, '2026-01-01T00:00:00.000Z');`);
    old.close();
    const store = openSqliteStore(dataDir);
    try {
      expect(await store.hooks.listForApplication('app_1')).toEqual([
        expect.objectContaining({ id: 'h1', action: 'LOGIN', entityType: null, entityId: null }),
      ]);
    } finally {
      await store.close();
    }
    // Opening again does not try to add the column twice.
    await openSqliteStore(dataDir).close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
