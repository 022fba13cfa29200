import { PATHS, type BatchResponse, type ListResponse, type Receipt } from '../../sdk/src/contract/schemas.js';
import type { Credentials } from '../../sdk/src/contract/wire.js';
import { useServer } from './support/use-server.js';
import { api, expectError } from './support/http.js';

const server = useServer();
let mine: Credentials;
let theirs: Credentials;
let myReceipt: Receipt;
let theirReceipt: Receipt;

beforeAll(async () => {
  mine = server.credentials;
  theirs = await server.createTenant('Rival');
  myReceipt = (await api<Receipt>(server, PATHS.log('me', 'MINE'), { body: 'mine', credentials: mine })).body;
  theirReceipt = (await api<Receipt>(server, PATHS.log('them', 'THEIRS'), { body: 'theirs', credentials: theirs })).body;
});

describe('tenancy isolation', () => {
  test('each organization lists only its own entries, each chain starting at 1', async () => {
    const myList = await api<ListResponse>(server, PATHS.entries, { credentials: mine });
    const theirList = await api<ListResponse>(server, PATHS.entries, { credentials: theirs });
    expect(myList.body.entries.map((e) => e.action)).toEqual(['MINE']);
    expect(theirList.body.entries.map((e) => e.action)).toEqual(['THEIRS']);
    expect([myReceipt.sequence, theirReceipt.sequence]).toEqual([1, 1]);
  });

  test("an organization cannot read another's entry by id", async () => {
    expectError(await api(server, `${PATHS.entryById}?entryId=${theirReceipt.logEntryId}`, { credentials: mine }), 404, 'not_found');
    expect((await api(server, `${PATHS.entryById}?entryId=${theirReceipt.logEntryId}`, { credentials: theirs })).status).toBe(200);
  });

  test("an organization cannot find another's entry through an idempotency-key filter", async () => {
    await api(server, PATHS.log('them', 'KEYED'), { body: 'x', credentials: theirs, headers: { 'idempotency-key': 'their-key' } });
    const found = await api<ListResponse>(server, `${PATHS.entries}?idempotencyKey=their-key`, { credentials: mine });
    expect(found.body.entries).toEqual([]);
  });

  test("an organization cannot write to another's application, by single entry or batch", async () => {
    const intruder = { ...mine, applicationId: theirs.applicationId };
    expectError(await api(server, PATHS.log('me', 'INTRUDE'), { body: 'x', credentials: intruder }), 403, 'unknown_application');
    expectError(await api(server, PATHS.batch, { body: { entries: [{ actorId: 'me', action: 'INTRUDE' }] }, credentials: intruder }), 403, 'unknown_application');
    const theirList = await api<ListResponse>(server, PATHS.entries, { credentials: theirs });
    expect(theirList.body.entries.map((e) => e.action)).not.toContain('INTRUDE');
  });

  test("another organization's secret does not open this organization", async () => {
    expectError(await api(server, PATHS.authCheck, { credentials: { ...mine, apiSecret: theirs.apiSecret } }), 401, 'unauthorized');
  });

  test("an organization cannot delete another's webhook subscription", async () => {
    const hook = await api<{ id: string }>(server, PATHS.hooks, { body: { targetUrl: 'http://127.0.0.1:9/hook' }, credentials: theirs });
    expect(hook.status).toBe(201);
    expectError(await api(server, PATHS.hook(hook.body.id), { method: 'DELETE', credentials: mine }), 404, 'not_found');
    expect((await api(server, PATHS.hook(hook.body.id), { method: 'DELETE', credentials: theirs })).status).toBe(204);
  });

  test('applications and actions are scoped to the organization', async () => {
    const apps = await api<{ applications: { id: string }[] }>(server, PATHS.applications, { credentials: mine });
    expect(apps.body.applications.map((a) => a.id)).toEqual([mine.applicationId]);
    const actions = await api<{ actions: { action: string }[] }>(server, PATHS.actions, { credentials: mine });
    expect(actions.body.actions.map((a) => a.action)).toEqual(['MINE']);
  });

  test('the same idempotency key in two organizations stores two entries', async () => {
    const entries = [{ actorId: 'x', action: 'SAME_KEY', idempotencyKey: 'shared' }];
    const a = await api<BatchResponse>(server, PATHS.batch, { body: { entries }, credentials: mine });
    const b = await api<BatchResponse>(server, PATHS.batch, { body: { entries }, credentials: theirs });
    expect([a.body.results[0]?.status, b.body.results[0]?.status]).toEqual(['stored', 'stored']);
  });
});
