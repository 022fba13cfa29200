import nock from 'nock';
import * as newLogEntry from '../../triggers/new_log_entry';
import * as instant from '../../triggers/new_log_entry_instant';
import { perform as integrityAlert } from '../../triggers/integrity_alert';
import { perform as applicationList } from '../../triggers/application_list';
import { perform as recentActionList } from '../../triggers/recent_action_list';
import { LIMITS, PATHS, type StoredEntry, type IntegrityStatus } from '../../sdk/src/contract/schemas';
import alertSample from '../../samples/integrity_alert.json';
import entrySample from '../../samples/stored_entry.json';
import { NOCK_BASE_URL, appTester, authData, outputOf, storedSample as sample, thrownBy } from '../helpers/app-bundle';
import { useNock } from '../../sdk/test/support/use-nock';

const entry = (n: number): StoredEntry => ({ ...sample, id: `entry-${n}`, sequence: n });
const basic = `Basic ${Buffer.from(`${authData.organizationId}:${authData.apiSecret}`).toString('base64')}`;
/** The service, answering only requests with the connection's credentials. */
const api = () => nock(NOCK_BASE_URL, { reqheaders: { authorization: basic, 'application-id': authData.applicationId } });

describe('triggers (wire shape, nock)', () => {
  useNock();

  describe('new_log_entry (polling)', () => {
    it('asks for the newest entries matching the filters and returns them as they are', async () => {
      const scope = api()
        .get(PATHS.entries)
        .query({ order: 'desc', actorId: 'ada@example.com', action: 'REFUND ISSUED', entityType: 'invoice', entityId: 'inv 1', limit: '100' })
        .reply(200, { entries: [entry(2), entry(1)], nextCursor: 'c' });
      const result = await appTester(newLogEntry.perform, {
        authData,
        inputData: { actorId: ' ada@example.com ', action: 'REFUND ISSUED', entityType: 'invoice', entityId: 'inv 1' },
        meta: { limit: -1 },
      });
      expect(result.map((e) => e.id)).toEqual(['entry-2', 'entry-1']);
      expect(result[0]).toEqual(outputOf(entry(2)));
      scope.done();
    });

    it.each([
      [{ isLoadingSample: true, limit: 50 }, '3'],
      [{ isPopulatingDedupe: true }, String(LIMITS.pageSize)],
      [{ limit: 7 }, '7'],
      [{ limit: 5000 }, String(LIMITS.pageSize)],
    ])('sizes the page from bundle.meta %j', async (meta, limit) => {
      const scope = api().get(PATHS.entries).query({ order: 'desc', limit }).reply(200, { entries: [], nextCursor: null });
      expect(await appTester(newLogEntry.perform, { authData, inputData: {}, meta })).toEqual([]);
      scope.done();
    });

    it('sends the Application-Id of the step when one is picked', async () => {
      const scope = nock(NOCK_BASE_URL)
        .matchHeader('Application-Id', 'app_other')
        .get(PATHS.entries)
        .query(true)
        .reply(200, { entries: [entry(1)], nextCursor: null });
      await appTester(newLogEntry.perform, { authData, inputData: { applicationId: 'app_other' } });
      scope.done();
    });

    it('fails the check when the service returns entries without ids (the deduper needs them)', async () => {
      api().get(PATHS.entries).query(true).reply(200, { entries: [{ ...entry(1), id: undefined }], nextCursor: null });
      const error = await thrownBy(() => appTester(newLogEntry.perform, { authData, inputData: {} }));
      expect(error.name).toBe('CheckError');
    });
  });

  describe('new_log_entry_instant (REST hook)', () => {
    it('subscribes Zapier\'s targetUrl with the filters and returns the subscription', async () => {
      const subscription = { id: 'hook_1', targetUrl: 'https://hooks.zapier.com/1/2', actorId: null, action: 'LOGIN', entityType: null, createdAt: '2026-01-31T12:00:00.000Z' };
      const scope = api()
        .post(PATHS.hooks, { targetUrl: 'https://hooks.zapier.com/1/2', action: 'LOGIN' })
        .matchHeader('Content-Type', 'application/json')
        .reply(201, subscription);
      const result = await appTester(instant.performSubscribe, { authData, inputData: { action: 'LOGIN', actorId: '' }, targetUrl: 'https://hooks.zapier.com/1/2' });
      expect(result).toEqual(subscription);
      scope.done();
    });

    it('subscribes with the Entity Type and Entity ID filter', async () => {
      const scope = api()
        .post(PATHS.hooks, { targetUrl: 'https://hooks.zapier.com/1/2', entityType: 'invoice', entityId: 'inv_1' })
        .reply(201, { id: 'hook_2', targetUrl: 'https://hooks.zapier.com/1/2', actorId: null, action: null, entityType: 'invoice', entityId: 'inv_1', createdAt: '2026-01-31T12:00:00.000Z' });
      await appTester(instant.performSubscribe, { authData, inputData: { entityType: 'invoice', entityId: 'inv_1' }, targetUrl: 'https://hooks.zapier.com/1/2' });
      scope.done();
    });

    it('unsubscribing a hook the service no longer has (404) succeeds, so the Zap can be turned off', async () => {
      const scope = api().delete('/api/hooks/gone').reply(404, { error: { code: 'not_found', message: 'No webhook subscription gone in this application' } });
      expect(await appTester(instant.performUnsubscribe, { authData, inputData: {}, subscribeData: { id: 'gone' } })).toEqual({ id: 'gone' });
      scope.done();
    });

    it('other unsubscribe failures still fail (e.g. wrong credentials)', async () => {
      api().delete('/api/hooks/h1').reply(401, { error: { code: 'unauthorized', message: 'x' } });
      const error = await thrownBy(() => appTester(instant.performUnsubscribe, { authData, inputData: {}, subscribeData: { id: 'h1' } }));
      expect(error.name).toBe('ExpiredAuthError');
    });

    it('unsubscribes the id saved at subscribe time, percent-encoded', async () => {
      const scope = api().delete('/api/hooks/hook%2F1').reply(204);
      const result = await appTester(instant.performUnsubscribe, { authData, inputData: {}, subscribeData: { id: 'hook/1' } });
      expect(result).toEqual({ id: 'hook/1' });
      scope.done();
    });

    it('refuses to unsubscribe without subscription data, before any request', async () => {
      const error = await thrownBy(() => appTester(instant.performUnsubscribe, { authData, inputData: {} }));
      expect(error.message).toMatch(/did not pass the webhook subscription to remove/);
    });

    it('passes the delivered entry on as the one trigger item', async () => {
      const result = await appTester(instant.perform, { authData, inputData: {}, cleanedRequest: entry(9) });
      expect(result).toEqual([outputOf(entry(9))]);
    });

    it.each([undefined, 'text', { action: 'LOGIN' }])('rejects a delivery that is not an entry (%j)', async (cleanedRequest) => {
      const error = await thrownBy(() => appTester(instant.perform, { authData, inputData: {}, cleanedRequest }));
      expect(error.message).toMatch(/does not contain an audit trail entry/);
    });

    it('lists recent entries in the same shape as a delivery (performList)', async () => {
      const scope = api().get(PATHS.entries).query({ order: 'desc', entityType: 'invoice', limit: '3' }).reply(200, { entries: [entry(3)], nextCursor: null });
      const result = await appTester(instant.performList, { authData, inputData: { entityType: 'invoice' }, meta: { isLoadingSample: true } });
      expect(Object.keys(result[0] ?? {}).sort()).toEqual(Object.keys(entrySample).sort());
      scope.done();
    });
  });

  describe('integrity_alert', () => {
    const status = (breaks: IntegrityStatus['breaks'], applicationId = authData.applicationId): IntegrityStatus => ({
      applicationId,
      headSequence: 1200,
      verifiedSequence: 1200,
      verifiedHash: 'ab'.repeat(32),
      verifiedRoot: null,
      lastFullPassAt: '2026-01-31T12:00:00.000Z',
      fullPassRunning: false,
      breaks,
    });
    const found = (sequence: number, reason: IntegrityStatus['breaks'][number]['reason'], applicationId = authData.applicationId) => ({
      id: `${applicationId}:${sequence}:${reason}`,
      sequence,
      entryId: reason === 'entries_missing' ? null : alertSample.firstBadEntryId,
      reason,
      detectedAt: alertSample.detectedAt,
    });

    it('returns nothing while the chain verifies', async () => {
      const scope = api().get(PATHS.integrity).reply(200, status([]));
      expect(await appTester(integrityAlert, { authData, inputData: {} })).toEqual([]);
      scope.done();
    });

    it('returns one alert per break, newest first, each with an id that names only its break', async () => {
      api().get(PATHS.integrity).times(2).reply(200, status([found(42, 'standalone_hash_mismatch'), found(900, 'previous_hash_mismatch')]));
      const first = await appTester(integrityAlert, { authData, inputData: {} });
      const second = await appTester(integrityAlert, { authData, inputData: {} });
      expect(first.map((alert) => alert.id)).toEqual([`${authData.applicationId}:900:previous_hash_mismatch`, `${authData.applicationId}:42:standalone_hash_mismatch`]);
      expect(second.map((alert) => alert.id)).toEqual(first.map((alert) => alert.id));
      expect(first[1]).toEqual({ ...alertSample, id: first[1]?.id, applicationId: authData.applicationId, message: alertSample.message.replace('app_default', authData.applicationId) });
      expect(Object.keys(first[0] ?? {}).sort()).toEqual(Object.keys(alertSample).sort());
    });

    it('answers the dedupe poll made when the Zap is turned on with nothing, so a trail already broken fires on the next poll', async () => {
      const scope = api().get(PATHS.integrity).reply(200, status([found(3, 'sequence_gap')]));
      expect(await appTester(integrityAlert, { authData, inputData: {}, meta: { isPopulatingDedupe: true } })).toEqual([]);
      expect(scope.isDone()).toBe(false);
      const [alert] = await appTester(integrityAlert, { authData, inputData: {} });
      expect(alert?.id).toBe(`${authData.applicationId}:3:sequence_gap`);
      scope.done();
    });

    it('uses the picked application in the header and the alert id', async () => {
      nock(NOCK_BASE_URL)
        .matchHeader('Application-Id', 'app_other')
        .get(PATHS.integrity)
        .reply(200, status([found(1, 'sequence_gap', 'app_other')], 'app_other'));
      const [alert] = await appTester(integrityAlert, { authData, inputData: { applicationId: 'app_other' } });
      expect(alert?.id).toBe('app_other:1:sequence_gap');
      expect(alert?.message).toMatch(/entries before it are missing/);
    });
  });

  describe('hidden dropdown triggers', () => {
    it('application_list: one choice per application, id + name', async () => {
      const scope = api()
        .get(PATHS.applications)
        .reply(200, { applications: [{ id: 'app_billing', name: 'Billing', createdAt: '2026-01-01T00:00:00.000Z' }, { id: 'app_hr', name: 'HR', createdAt: '2026-01-02T00:00:00.000Z' }] });
      const result = await appTester(applicationList, { authData, meta: { isFillingDynamicDropdown: true } });
      expect(result.map(({ id, name }) => `${id}=${name}`)).toEqual(['app_billing=Billing', 'app_hr=HR']);
      scope.done();
    });

    it('recent_action_list: the action is both the id and the label', async () => {
      const scope = api()
        .get(PATHS.actions)
        .reply(200, { actions: [{ action: 'LOGIN', count: 3, lastRecordedAt: '2026-01-31T12:00:00.000Z' }] });
      const result = await appTester(recentActionList, { authData, meta: { isFillingDynamicDropdown: true } });
      expect(result).toEqual([{ id: 'LOGIN', action: 'LOGIN', count: 3, lastRecordedAt: '2026-01-31T12:00:00.000Z' }]);
      scope.done();
    });
  });
});
