/**
 * Child process of the bench: the reference server on 127.0.0.1 (free port, temporary data dir, one tenant).
 * Prints `{ baseUrl, tenants }` as one JSON line (one fresh application per measurement, so no measurement runs on a
 * chain grown by the previous one); stops on SIGTERM and removes its data dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildServer } from '@audit-trail/server';
import { createTenant } from '@audit-trail/server';

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'audit-trail-bench-'));
  // BENCH_NO_AUTH_LIMIT=1: the failed-authentication limiter's bounds out of reach (the limits suite's "before" side).
  const unlimited = process.env['BENCH_NO_AUTH_LIMIT'] === '1';
  const app = await buildServer({ dataDir, ...(unlimited ? { limits: { failedAuthPerAddress: 1e9, failedAuthPerOrganization: 1e9 } } : {}) });
  const tenants = [];
  const count = Number(process.env['BENCH_TENANTS'] ?? 12);
  for (let i = 0; i < count; i++) tenants.push(await createTenant(app.store, { organizationName: `Bench ${i}`, applicationName: `Bench ${i}` }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ baseUrl: `http://127.0.0.1:${port}`, tenants })}\n`);
  process.once('SIGTERM', () => {
    void app.close().finally(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

void main();
