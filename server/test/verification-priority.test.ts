/**
 * Verification workers run below the server's priority (verify-worker.ts): on Linux each worker thread lowers its
 * own nice value, so a full pass that keeps both cores busy still leaves the event loop the CPU it needs for
 * requests, and the server's own threads keep theirs. Checked from /proc, where every thread of this process has its
 * nice value (field 19 of /proc/self/task/<tid>/stat).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { appendEntries } from '../src/ledger.js';
import { createTenant } from '../src/tenants.js';
import { verifyInWorker } from '../src/verification/run-in-worker.js';
import { useStore } from './support/use-store.js';

/** Nice value of each thread of this process, by thread id (threads that end while read are skipped). */
function threadNiceValues(): Map<number, number> {
  const values = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces), starting at field 3: nice is field 19.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      values.set(Number(tid), Number(fields[16]));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return values;
}

const linux = process.platform === 'linux' ? describe : describe.skip;

linux('verification worker priority', () => {
  const store = useStore('sqlite', 'priority');

  test('each worker thread runs at nice 10 while the threads it started beside stay at their own', async () => {
    const { applicationId } = await createTenant(store());
    const entries = Array.from({ length: 400 }, (_, i) => ({ actorId: `user${i}@example.com`, action: 'LOGIN', details: { i } }));
    for (let i = 0; i < 10; i++) await appendEntries(store(), applicationId, entries);
    const before = threadNiceValues();
    // Run at normal priority, or a worker at nice 10 would not be told apart from one that never lowered itself.
    expect(before.get(process.pid)).toBeLessThan(10);
    const seen = new Map<number, number>();
    const poll = setInterval(() => {
      for (const [tid, nice] of threadNiceValues()) if (!before.has(tid)) seen.set(tid, nice);
    }, 1);
    try {
      const { result } = await verifyInWorker(
        { source: store().readerSource, applicationId, fromSequence: 1, toSequence: 4000, pageSize: 50 },
        { threads: 2, minPartLength: 1000 },
      );
      expect(result).toMatchObject({ valid: true, checked: 4000 });
    } finally {
      clearInterval(poll);
    }
    // Some of the new threads are the workers (nice 10); none other was lowered, and the server's are untouched.
    expect([...seen.values()]).toContain(10);
    expect(threadNiceValues().get(process.pid)).toBe(before.get(process.pid));
  }, 60_000);
});
