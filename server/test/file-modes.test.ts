/**
 * The data directory is 0700 and every file in it 0600 whatever the umask (the issue found 0755 and 0644 under the
 * default umask): the database holds secrets' hashes and the audit data.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PATHS } from '../../sdk/src/contract/schemas.js';
import { startServer } from './support/start-server.js';
import { api } from './support/http.js';

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

test('data directory 0700, database, WAL and shared-memory files 0600 under umask 022, even when they existed wider', async () => {
  const parent = mkdtempSync(join(tmpdir(), 'audit-trail-modes-'));
  const dataDir = join(parent, 'data');
  const previous = process.umask(0o022);
  try {
    // A directory and database left world-readable by an earlier version are tightened on open.
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'audit-trail.db'), '');
    chmodSync(join(dataDir, 'audit-trail.db'), 0o644);
    const server = await startServer({ dataDir });
    try {
      expect((await api(server, PATHS.log('alice', 'LOGIN'), { body: { x: 1 } })).status).toBe(201);
      const files = readdirSync(dataDir);
      expect(files).toEqual(expect.arrayContaining(['audit-trail.db', 'audit-trail.db-wal', 'audit-trail.db-shm']));
      expect(mode(dataDir)).toBe('700');
      expect(Object.fromEntries(files.map((file) => [file, mode(join(dataDir, file))]))).toEqual(Object.fromEntries(files.map((file) => [file, '600'])));
    } finally {
      await server.close();
    }
  } finally {
    process.umask(previous);
    rmSync(parent, { recursive: true, force: true });
  }
});
