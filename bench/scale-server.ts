/**
 * Child process of the scale and ingest benches: the reference server on 127.0.0.1 (free port) over the store the
 * bench prepared: PostgreSQL when BENCH_DATABASE_URL is set, else SQLite in BENCH_DATA_DIR. Prints `{ baseUrl }` as
 * one JSON line and exits on SIGTERM. With BENCH_CPU_PROFILE=<file> it profiles its own CPU (V8's sampling
 * profiler, the one behind `node --cpu-prof`) from the moment it listens until SIGTERM, and writes the profile
 * there: start-up (module loading, schema) stays out of the window, so the profile is the work the bench sent.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { buildServer } from '@audit-trail/server';

async function main(): Promise<void> {
  const databaseUrl = process.env['BENCH_DATABASE_URL'] || undefined;
  const profileFile = process.env['BENCH_CPU_PROFILE'] || undefined;
  const app = await buildServer({ dataDir: process.env['BENCH_DATA_DIR'], databaseUrl });
  await app.listen({ host: '127.0.0.1', port: 0 });
  let session: Session | undefined;
  if (profileFile) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    // 200 µs between samples (V8's default is 1 ms): enough samples in a few seconds of ingest.
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
  }
  const { port } = app.server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ baseUrl: `http://127.0.0.1:${port}` })}\n`);
  process.once('SIGTERM', () => {
    void (async () => {
      if (session && profileFile) {
        const { profile } = await session.post('Profiler.stop');
        writeFileSync(profileFile, JSON.stringify(profile));
        session.disconnect();
      }
      await app.close();
    })().finally(() => process.exit(0));
  });
}

void main();
