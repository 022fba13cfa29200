/**
 * Child process of the scale bench: the reference server on 127.0.0.1 (free port) over the store the bench
 * prepared: PostgreSQL when BENCH_DATABASE_URL is set, else SQLite in BENCH_DATA_DIR. Prints `{ baseUrl }` as one
 * JSON line and exits on SIGTERM (normally, so that `--cpu-prof` writes its profile).
 */
import type { AddressInfo } from 'node:net';
import { buildServer } from '@audit-trail/server';

async function main(): Promise<void> {
  const databaseUrl = process.env['BENCH_DATABASE_URL'] || undefined;
  const app = await buildServer({ dataDir: process.env['BENCH_DATA_DIR'], databaseUrl });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ baseUrl: `http://127.0.0.1:${port}` })}\n`);
  process.once('SIGTERM', () => {
    void app.close().finally(() => process.exit(0));
  });
}

void main();
