import nock from 'nock';
import { perform } from '../../searches/find_entry_by_id';
import { perform as recentEntries } from '../../triggers/recent_entry_list';
import { PATHS } from '../../sdk/src/contract/schemas';
import { NOCK_BASE_URL, appTester, authData, outputOf, storedSample, thrownBy } from '../helpers/app-bundle';
import { useNock } from '../../sdk/test/support/use-nock';

describe('search find_entry_by_id (nock)', () => {
  useNock();

  it('GET /api/getEntryById with the id, returning the stored entry with its link', async () => {
    const scope = nock(NOCK_BASE_URL)
      .matchHeader('Application-Id', 'app_other')
      .get(PATHS.entryById)
      .query({ entryId: storedSample.id })
      .reply(200, storedSample);
    expect(await appTester(perform, { authData, inputData: { entryId: ` ${storedSample.id} `, applicationId: 'app_other' } })).toEqual([outputOf(storedSample)]);
    scope.done();
  });

  it('no such entry (404) is an empty result, not an error', async () => {
    nock(NOCK_BASE_URL).get(PATHS.entryById).query(true).reply(404, { error: { code: 'not_found', message: 'No entry x in this application' } });
    expect(await appTester(perform, { authData, inputData: { entryId: 'x' } })).toEqual([]);
  });

  it('a blank Entry ID is refused before any request', async () => {
    const error = await thrownBy(() => appTester(perform, { authData, inputData: { entryId: ' ' } }));
    expect(error.message).toBe('Entry ID is missing. Map the Entry ID of a logged entry into this step.');
  });

  it('details too large for a Zapier response are left out with the flag set', async () => {
    const huge = { ...storedSample, details: { blob: 'x'.repeat(5_100_000) } };
    nock(NOCK_BASE_URL).get(PATHS.entryById).query(true).reply(200, huge);
    const [found] = await appTester(perform, { authData, inputData: { entryId: huge.id } });
    expect(found).toMatchObject({ id: huge.id, details: null, detailsOmitted: true });
  });

  it('recent_entry_list fills the Entry ID dropdown, newest first, page by page', async () => {
    const entries = Array.from({ length: 60 }, (_, i) => ({ ...storedSample, id: `e${60 - i}`, sequence: 60 - i }));
    nock(NOCK_BASE_URL).get(PATHS.entries).query({ order: 'desc', limit: '50' }).reply(200, { entries: entries.slice(0, 50), nextCursor: 'c' });
    nock(NOCK_BASE_URL).get(PATHS.entries).query({ order: 'desc', limit: '100' }).reply(200, { entries, nextCursor: null });
    const first = await appTester(recentEntries, { authData, meta: { isFillingDynamicDropdown: true, page: 0 } });
    const second = await appTester(recentEntries, { authData, meta: { isFillingDynamicDropdown: true, page: 1 } });
    expect(first[0]).toEqual({ id: 'e60', label: `#60 ${storedSample.action} by ${storedSample.actorId}` });
    expect(first).toHaveLength(50);
    expect(second.map((e) => e.id)).toEqual(['e10', 'e9', 'e8', 'e7', 'e6', 'e5', 'e4', 'e3', 'e2', 'e1']);
  });
});
