/**
 * Two containers sharing a spool volume start at the same moment after a crash: several processes race for a
 * stale lock of a third host. Exactly one may win (exclusive create + checked takeover in spool-lock.ts).
 * The children run the compiled SDK (`npm run build` first), as the SIGKILL test's do.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const DIST = path.resolve(__dirname, '../../sdk/dist/delivery/spool-lock.js');
const RACERS = 6;

const racer = (dir: string): Promise<string> =>
  new Promise((resolve) => {
    // Each waits for the same wall-clock instant, tries once, and holds what it got for a moment.
    const script = `
      const { SpoolLock } = require(${JSON.stringify(DIST)});
      const start = Number(process.argv[1]);
      while (Date.now() < start) {}
      try { const lock = SpoolLock.acquire(process.argv[2], 30000); const at = Date.now(); setTimeout(() => { process.stdout.write('won ' + at + ' ' + Date.now()); lock.release(); }, 300); }
      catch (error) { process.stdout.write('lost: ' + error.message); }`;
    const child = spawn(process.execPath, ['-e', script, String(Date.now() + 700), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    // A child that printed nothing says how it ended, so a failure names the cause instead of an empty string.
    child.on('exit', (code, signal) => resolve(out || `no output (exit code ${code}, signal ${signal})`));
  });

it('of processes racing for a stale lock, exactly one gets it', async () => {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run npm run build first`);
  for (let round = 0; round < 3; round++) {
    const dir = mkdtempSync(path.join(tmpdir(), 'audit-lock-race-'));
    try {
      const lock = path.join(dir, 'spool.lock');
      writeFileSync(lock, JSON.stringify({ host: 'crashed-container', pid: 1, token: 'stale' }));
      const old = new Date(Date.now() - 60_000);
      utimesSync(lock, old, old);
      const outcomes = await Promise.all(Array.from({ length: RACERS }, () => racer(dir)));
      // A slow starter may win after the first released: legal. Two holding it at once is not.
      const held = outcomes.filter((outcome) => outcome.startsWith('won')).map((outcome) => outcome.split(' ').slice(1).map(Number) as [number, number]);
      expect(held.length).toBeGreaterThanOrEqual(1);
      held.sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < held.length; i++) expect((held[i] as [number, number])[0]).toBeGreaterThanOrEqual((held[i - 1] as [number, number])[1]);
      for (const outcome of outcomes.filter((o) => !o.startsWith('won'))) expect(outcome).toMatch(/^lost: The spool directory .* (is in use by process \d+ on host|is being taken by another client)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
