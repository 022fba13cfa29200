/**
 * `npm run bench [-- suite …]`: runs the named suites (all by default) and prints one Markdown table. Never run by
 * the tests. Every figure is median [min–max] of at least 3 interleaved repetitions (bench/harness.ts); set
 * BENCH_REPETITIONS for more. Add a suite by writing bench/suites/<name>.ts and listing it here.
 */
import { cpus } from 'node:os';
import { Report, type Suite } from './harness.js';
import { coldStartSuite } from './suites/cold-start.js';
import { deliverySuite } from './suites/delivery.js';
import { overheadSuite } from './suites/overhead.js';
import { merkleSuite } from './suites/merkle.js';
import { limitsSuite } from './suites/limits.js';
import { ingestSuite } from './suites/ingest.js';
import { verifySuite } from './suites/verify.js';

const SUITES: readonly Suite[] = [deliverySuite, overheadSuite, merkleSuite, ingestSuite, verifySuite, coldStartSuite, limitsSuite];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !SUITES.some((suite) => suite.name === name));
  if (unknown.length > 0) {
    console.error(`unknown suite(s): ${unknown.join(', ')}\n${SUITES.map((s) => `  ${s.name.padEnd(12)} ${s.description}`).join('\n')}`);
    process.exitCode = 2;
    return;
  }
  const report = new Report('');
  for (const suite of SUITES.filter((s) => wanted.length === 0 || wanted.includes(s.name))) {
    process.stderr.write(`${suite.name}: ${suite.description}\n`);
    await suite.run(report.forSuite(suite.name));
  }
  console.log(`Node ${process.version}, ${cpus().length} CPUs, ${new Date().toISOString()}\n${report.table()}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
