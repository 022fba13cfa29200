import nock from 'nock';
import { perform, linesOf } from '../../creates/log_entries';
import { LIMITS, PATHS, type BatchResponse, type Receipt } from '../../sdk/src/contract/schemas';
import sample from '../../samples/logged_entries.json';
import { NOCK_BASE_URL, appTester, authData, thrownBy } from '../helpers/app-bundle';
import { useNock } from '../../sdk/test/support/use-nock';

const receipt = (n: number): Receipt => ({
  logEntryId: `entry-${n}`,
  sequence: n,
  hash: 'ab'.repeat(32),
  previousHash: 'cd'.repeat(32),
  standaloneHash: 'ef'.repeat(32),
  timestamp: '2026-01-31T12:00:00.000Z',
  treeSize: n,
  checkpoint: `audit-trail/app/app_billing\n${n}\nroot\n\n— signature\n`,
});

describe('create log_entries (line items → one batch request, nock)', () => {
  useNock();

  it('sends every line in one POST /api/log/batch and returns one result per line', async () => {
    let body: unknown;
    const reply: BatchResponse = {
      results: [
        { index: 0, status: 'stored', receipt: receipt(7) },
        { index: 1, status: 'duplicate', receipt: receipt(3) },
        { index: 2, status: 'rejected', error: { code: 'idempotency_conflict', message: 'idempotencyKey was used for another entry', field: 'idempotencyKey' } },
      ],
      failedLogIndexes: [2],
    };
    const scope = nock(NOCK_BASE_URL)
      .post(PATHS.batch, (b: unknown) => ((body = b), true))
      .matchHeader('Content-Type', 'application/json')
      .matchHeader('Application-Id', authData.applicationId)
      .reply(200, reply);
    const result = await appTester(perform, {
      authData,
      inputData: {
        entries: [
          { actorId: ' ada ', action: 'LOGIN', details: '{"via":"sso"}', actorRoles: 'admin, auditor' },
          { actorId: 'bob', action: 'EXPORT', entityType: 'report', entityId: 'r1', idempotencyKey: 'k-1' },
          { actorId: 'carol', action: 'DELETE', details: 'plain text', idempotencyKey: 'k-2' },
        ],
      },
    });
    expect(body).toEqual({
      entries: [
        { actorId: 'ada', action: 'LOGIN', details: { via: 'sso' }, actorRoles: ['admin', 'auditor'] },
        { actorId: 'bob', action: 'EXPORT', entityType: 'report', entityId: 'r1', idempotencyKey: 'k-1' },
        { actorId: 'carol', action: 'DELETE', details: 'plain text', idempotencyKey: 'k-2' },
      ],
    });
    expect(result).toMatchObject({ id: `${authData.applicationId}:7:3`, count: 3, storedCount: 1, duplicateCount: 1, rejectedCount: 1 });
    expect(result.results[0]).toEqual({
      line: 1,
      status: 'stored',
      entryId: 'entry-7',
      sequence: 7,
      hash: 'ab'.repeat(32),
      timestamp: '2026-01-31T12:00:00.000Z',
      entryUrl: `${NOCK_BASE_URL}${PATHS.entryById}?entryId=entry-7`,
      errorCode: null,
      errorMessage: null,
    });
    expect(result.results[1]).toMatchObject({ line: 2, status: 'duplicate', entryId: 'entry-3', sequence: 3 });
    expect(result.results[2]).toMatchObject({ line: 3, status: 'rejected', entryId: null, errorCode: 'idempotency_conflict', errorMessage: expect.stringMatching(/^This Idempotency Key was already used/) });
    expect(Object.keys(result).sort()).toEqual(Object.keys(sample).sort());
    expect(Object.keys(result.results[0] ?? {}).sort()).toEqual(Object.keys(sample.results[0] ?? {}).sort());
    scope.done();
  });

  it('takes the flat fields as one entry when no line items are mapped', () => {
    expect(linesOf({ actorId: 'a', action: 'B' } as never)).toEqual([{ actorId: 'a', action: 'B' }]);
    expect(linesOf({} as never)).toEqual([]);
  });

  it('names every invalid line and sends nothing', async () => {
    const scope = nock(NOCK_BASE_URL).post(PATHS.batch).reply(200, { results: [], failedLogIndexes: [] });
    const error = await thrownBy(() =>
      appTester(perform, {
        authData,
        inputData: { entries: [{ actorId: 'ok', action: 'A' }, { action: 'B' } as never, { actorId: 'c', action: 'C', details: '{"x":' }] },
      }),
    );
    expect(error.message).toMatch(/^Nothing was logged, because 2 entries are not valid\. Entry 2: Actor ID is missing\. Entry 3: Details looks like JSON but is not valid JSON/);
    expect(scope.isDone()).toBe(false);
  });

  it('refuses no lines, and more lines than one batch takes', async () => {
    expect((await thrownBy(() => appTester(perform, { authData, inputData: { entries: [] } }))).message).toMatch(/^Entries is empty/);
    const many = Array.from({ length: LIMITS.batchEntries + 1 }, () => ({ actorId: 'a', action: 'B' }));
    expect((await thrownBy(() => appTester(perform, { authData, inputData: { entries: many } }))).message).toBe(
      `Log Entries takes at most ${LIMITS.batchEntries} entries per step, got ${LIMITS.batchEntries + 1}. Split them over several steps or Zap runs.`,
    );
  });

  it('refuses lines that together exceed the request size limit', async () => {
    const big = Array.from({ length: 20 }, () => ({ actorId: 'a', action: 'B', details: 'x'.repeat(60_000) }));
    const error = await thrownBy(() => appTester(perform, { authData, inputData: { entries: big } }));
    expect(error.message).toMatch(/^These entries are too large to log together \(\d+ bytes; one Log Entries step sends at most 1048576 bytes\)/);
  });
});
