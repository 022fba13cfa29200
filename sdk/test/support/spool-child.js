// Child process of the SIGKILL fault test. Plain JavaScript on the compiled SDK (dist/), because jest's
// TypeScript transform does not reach child processes. Credentials come from the environment, not argv.
//   node spool-child.js produce <count>   enqueue <count> entries with the spool, print "enqueued", then flush
//   node spool-child.js restore           open the spool, send what it holds, print the stats as JSON, exit
'use strict';
const path = require('node:path');

const dist = path.resolve(__dirname, '../../dist/client.js');
let AuditTrailClient;
try {
  ({ AuditTrailClient } = require(dist));
} catch (error) {
  process.stderr.write(`cannot load ${dist}: run npm run build first (${error.message})\n`);
  process.exit(3);
}

const [mode, countText] = process.argv.slice(2);
const env = process.env;
const client = new AuditTrailClient({
  baseUrl: env.AUDIT_BASE_URL,
  organizationId: env.AUDIT_ORG,
  apiSecret: env.AUDIT_SECRET,
  applicationId: env.AUDIT_APP,
  delivery: {
    spool: { dir: env.AUDIT_SPOOL, fsync: env.AUDIT_FSYNC || 'batch' },
    maxBatchEntries: 20,
    flushIntervalMs: 10,
    maxConcurrentRequests: 2,
    requestTimeoutMs: 2000,
    retry: { baseDelayMs: 20, maxDelayMs: 200 },
  },
});

async function main() {
  if (mode === 'produce') {
    const count = Number(countText);
    for (let i = 0; i < count; i++) await client.enqueue({ actorId: `user-${i % 7}`, action: 'SIGKILL_TEST', details: { i } });
    process.stdout.write('enqueued\n');
    await client.flush();
    process.stdout.write('flushed\n');
  } else {
    const restored = client.stats.restored;
    await client.flush();
    const result = await client.close({ timeoutMs: 20000 });
    process.stdout.write(`${JSON.stringify({ restored, stats: client.stats, drained: result.drained })}\n`);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  },
);
