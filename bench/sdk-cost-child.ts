/**
 * Child process of the overhead suite: records BENCH_EVENTS events with one SDK (BENCH_PEER) to the sink, waits
 * until all are delivered, and prints `{ cpuMicrosPerEvent, secondHalfMicrosPerEvent }`: all CPU the process spent
 * per event, from the first call to the last delivery (a fresh process per measurement, so no SDK runs on another's
 * warmed-up JIT), and the same for the second half of the events only (from the middle event to the last
 * delivery): the cost once V8 has compiled the SDK's code, which its background compiler threads (counted in the
 * process's CPU) do during the first ten thousand events or so.
 */
import { recorder, type PeerName } from './peers.js';

async function main(): Promise<void> {
  const events = Number(process.env['BENCH_EVENTS'] ?? 50_000);
  const sdk = recorder(process.env['BENCH_PEER'] as PeerName, process.env['BENCH_SINK'] ?? '');
  // Warm-up outside the timing: module loading, first connection.
  for (let i = 0; i < 1000; i++) sdk.record(i, '/warm');
  await new Promise((resolve) => setTimeout(resolve, 500));
  const start = process.cpuUsage();
  const half = Math.floor(events / 2);
  let middle = start;
  for (let i = 0; i < events; i++) {
    if (i === half) middle = process.cpuUsage();
    sdk.record(i, `/page/${i % 100}`);
    // Yield now and then, as a real service would between requests, so batches go out while recording.
    if (i % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
  }
  await sdk.close();
  const used = process.cpuUsage(start);
  const secondHalf = process.cpuUsage(middle);
  const result = {
    cpuMicrosPerEvent: (used.user + used.system) / events,
    secondHalfMicrosPerEvent: (secondHalf.user + secondHalf.system) / (events - half),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
