/**
 * Child process of the bench: the reference server on 127.0.0.1 (free port, temporary data dir, one tenant).
 * Prints `{ baseUrl, credentials }` as one JSON line; stops on SIGTERM and removes its data dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildServer } from '../server/app.js';
import { createTenant } from '../server/tenants.js';

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'audit-trail-bench-'));
  const app = await buildServer({ dataDir });
  const credentials = await createTenant(app.store, { organizationName: 'Bench', applicationName: 'Bench' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ baseUrl: `http://127.0.0.1:${port}`, credentials })}\n`);
  process.once('SIGTERM', () => {
    void app.close().finally(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

void main();
