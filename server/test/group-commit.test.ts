/** Group commit: concurrent appends to one application share transactions, and each caller gets its own outcomes. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyChain, type Entry } from '../../sdk/src/contract/index.js';
import { GroupCommit } from '../src/group-commit.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import type { Store } from '../src/store/repositories.js';
import { createTenant } from '../src/tenants.js';

let dir: string;
let store: Store;
let transactions = 0;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-trail-group-commit-'));
  const opened = openSqliteStore(dir);
  const transaction = opened.transaction.bind(opened);
  transactions = 0;
  store = { ...opened, transaction: (work) => ((transactions += 1), transaction(work)) } as Store;
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const entry = (i: number, extra: Partial<Entry> = {}): Entry => ({ actorId: `user-${i}`, action: `ACT_${i}`, ...extra });

test('appends arriving together are written in one transaction, in arrival order, each caller its own outcomes', async () => {
  const { applicationId, organizationId } = await createTenant(store);
  const target = { id: applicationId, organizationId };
  const before = transactions;
  const appends = new GroupCommit(store);
  const results = await Promise.all([
    appends.append(target, [entry(1)]),
    appends.append(target, [entry(2), entry(3)]),
    appends.append(target, [{ code: 'missing_field', field: 'actorId', message: 'actorId is required' }]),
    appends.append(target, [entry(4)]),
  ]);
  expect(transactions - before).toBe(1);
  expect(results.map((r) => r.outcomes.map((o) => (o.status === 'rejected' ? o.issue.code : o.entry.sequence)))).toEqual([[1], [2, 3], ['missing_field'], [4]]);
  expect(new Set(results.map((r) => r.treeHead.size))).toEqual(new Set([4]));
  const stored = await store.entries.range(applicationId, 1, 4, 10);
  expect(stored.map((e) => e.action)).toEqual(['ACT_1', 'ACT_2', 'ACT_3', 'ACT_4']);
  expect(verifyChain(stored)).toMatchObject({ valid: true, checked: 4 });
});

test('an idempotency key repeated by two callers of one group stores once and replays for the second', async () => {
  const { applicationId, organizationId } = await createTenant(store);
  const target = { id: applicationId, organizationId };
  const appends = new GroupCommit(store);
  const [first, second] = await Promise.all([
    appends.append(target, [entry(1, { idempotencyKey: 'k' })]),
    appends.append(target, [entry(1, { idempotencyKey: 'k' })]),
  ]);
  expect(first?.outcomes[0]?.status).toBe('stored');
  expect(second?.outcomes[0]?.status).toBe('duplicate');
});

test('a group stops growing at maxGroupItems without splitting a caller, and different applications never share one', async () => {
  const one = await createTenant(store);
  const two = await createTenant(store);
  const before = transactions;
  const appends = new GroupCommit(store, 3);
  await Promise.all([
    appends.append({ id: one.applicationId, organizationId: one.organizationId }, [entry(1), entry(2)]),
    appends.append({ id: one.applicationId, organizationId: one.organizationId }, [entry(3), entry(4)]),
    appends.append({ id: two.applicationId, organizationId: two.organizationId }, [entry(5)]),
  ]);
  expect(transactions - before).toBe(3);
  expect((await store.entries.head(one.applicationId)).sequence).toBe(4);
  expect((await store.entries.head(two.applicationId)).sequence).toBe(1);
});
