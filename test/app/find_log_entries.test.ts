import nock from 'nock';
import { perform, SEARCH_SIZE } from '../../searches/find_log_entries';
import { PATHS } from '../../sdk/src/contract/schemas';
import { NOCK_BASE_URL, appTester, authData, outputOf, storedSample as sample, thrownBy } from '../helpers/app-bundle';
import { useNock } from '../../sdk/test/support/use-nock';

describe('search find_log_entries (wire shape, nock)', () => {
  useNock();

  it('sends every criterion as a query parameter, dates as UTC ISO-8601, newest first', async () => {
    const scope = nock(NOCK_BASE_URL)
      .matchHeader('Application-Id', authData.applicationId)
      .get(PATHS.entries)
      .query({
        order: 'desc',
        actorId: 'ada@example.com',
        action: 'REFUND_ISSUED',
        entityType: 'invoice',
        entityId: 'inv 1/2',
        idempotencyKey: 'refund-inv_123-1',
        from: '2026-01-31T11:00:00.000Z',
        to: '2026-02-01T00:00:00.000Z',
        limit: String(SEARCH_SIZE),
      })
      .reply(200, { entries: [sample], nextCursor: null });
    const result = await appTester(perform, {
      authData,
      inputData: {
        actorId: 'ada@example.com',
        action: 'REFUND_ISSUED',
        entityType: 'invoice',
        entityId: 'inv 1/2',
        idempotencyKey: 'refund-inv_123-1',
        from: '2026-01-31T12:00:00+01:00',
        to: '2026-02-01T00:00:00Z',
      },
    });
    expect(result).toEqual([outputOf(sample)]);
    scope.done();
  });

  it('returns an empty list when nothing matches (so a search-or-create logs the entry)', async () => {
    const scope = nock(NOCK_BASE_URL).get(PATHS.entries).query({ order: 'desc', idempotencyKey: 'k1', limit: '1' }).reply(200, { entries: [], nextCursor: null });
    expect(await appTester(perform, { authData, inputData: { idempotencyKey: 'k1' }, meta: { limit: 1 } })).toEqual([]);
    scope.done();
  });

  it('refuses a search without any criterion, before any request', async () => {
    const scope = nock(NOCK_BASE_URL).get(PATHS.entries).query(true).reply(200, { entries: [sample], nextCursor: null });
    const error = await thrownBy(() => appTester(perform, { authData, inputData: { actorId: ' ', applicationId: 'app_other' } }));
    expect(error.message).toMatch(/at least one search criterion/);
    expect(scope.isDone()).toBe(false);
  });

  it('refuses a time that is not a date, naming the field', async () => {
    const error = await thrownBy(() => appTester(perform, { authData, inputData: { actorId: 'a', from: 'last tuesday-ish' } }));
    expect(error.message).toBe('Recorded After must be a date and time, e.g. 2026-01-31T12:00:00Z; got "last tuesday-ish".');
  });
});
