/**
 * The SQLite WAL is checkpointed by a worker thread (store/sqlite-checkpointer.ts), not by an append's COMMIT, and
 * closing the store waits for that worker.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendEntries } from '../src/ledger.js';
import { databasePath, openSqliteStore } from '../src/store/sqlite-store.js';
import { createTenant } from '../src/tenants.js';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'audit-trail-checkpointer-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

test('the write-ahead log reaches the database file by the checkpoint worker, while the store stays open', async () => {
  const store = openSqliteStore(dataDir);
  try {
    const { applicationId } = await createTenant(store);
    // ~300 KB of rows: far below the connection's own (backstop) autocheckpoint, and below SQLite's default 1,000
    // pages too, so without the worker they would stay in the WAL until the store closes.
    await appendEntries(
      store,
      applicationId,
      Array.from({ length: 500 }, (_, i) => ({ actorId: `user-${i % 3}`, action: 'INVOICE_UPDATED', details: { i, text: 'x'.repeat(400) } })),
    );
    const deadline = Date.now() + 10_000;
    while (statSync(databasePath(dataDir)).size < 250_000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(statSync(databasePath(dataDir)).size).toBeGreaterThanOrEqual(250_000);
  } finally {
    await store.close();
  }
});

test('a process with nothing else to do goes on after closing the store (the checkpoint worker is waited for, not abandoned)', () => {
  // The built server, in a process of its own: under jest the event loop never runs dry.
  const store = join(__dirname, '..', 'dist', 'store', 'sqlite-store.js');
  const script = `const { openSqliteStore } = require(${JSON.stringify(store)});
    (async () => { const s = openSqliteStore(${JSON.stringify(dataDir)}); await s.close(); console.log('after close'); })();`;
  const child = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  expect(child.stderr).toBe('');
  expect(child.stdout).toBe('after close\n');
});
