/**
 * The Zapier app against the real reference server (no nock): every operation's behaviour end to end, including
 * the REST hook delivered to a local receiver and an integrity alert after tampering with the SQLite file.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DatabaseSync } from 'node:sqlite';
import { testAuth } from '../../authentication';
import { perform as logEntry } from '../../creates/log_entry';
import { perform as findLogEntries } from '../../searches/find_log_entries';
import { perform as newLogEntry } from '../../triggers/new_log_entry';
import * as instant from '../../triggers/new_log_entry_instant';
import { perform as integrityAlert } from '../../triggers/integrity_alert';
import { perform as applicationList } from '../../triggers/application_list';
import { perform as recentActionList } from '../../triggers/recent_action_list';
import type { StoredEntry } from '../../sdk/src/contract/schemas';
import type { Credentials } from '../../sdk/src/contract/wire';
import sample from '../../samples/log_entry.json';
import { appTester, thrownBy } from '../helpers/app-bundle';
import { startServer, type TestServer } from '../../server/test/support/start-server';

let server: TestServer;
let authData: Record<string, string>;
const connection = (credentials: Credentials) => ({ baseUrl: `${server.baseUrl}/`, ...credentials });

beforeAll(async () => {
  server = await startServer({ webhookRetryDelaysMs: [20, 40] });
  authData = connection(server.credentials);
});
afterAll(() => server.close());

describe('Zapier app against the local reference server', () => {
  it('auth test returns the names the connection label uses; a wrong secret gets the reconnect message', async () => {
    const who = await appTester(testAuth, { authData });
    expect(who).toMatchObject({ organizationId: server.credentials.organizationId, applicationId: server.credentials.applicationId });
    expect(typeof who.organizationName).toBe('string');
    expect(typeof who.applicationName).toBe('string');
    const error = await thrownBy(() => appTester(testAuth, { authData: { ...authData, apiSecret: 'wrong' } }));
    expect(error).toMatchObject({ code: 'AuthenticationError', status: 401 });
    expect(error.message).toMatch(/Reconnect/);
  });

  it('log_entry records an entry with every field, and the same idempotency key returns the same entry', async () => {
    const inputData = {
      actorId: 'ada@example.com',
      action: 'REFUND_ISSUED',
      details: JSON.stringify(sample.details),
      actorDisplayName: 'Ada Lovelace',
      actorRoles: ['support', 'refunds'],
      entityType: 'invoice',
      entityId: 'inv/123',
      occurredAt: '2026-01-31T13:00:00+01:00',
      ip: '2001:db8::1',
      idempotencyKey: 'e2e-refund-1',
    };
    const first = await appTester(logEntry, { authData, inputData });
    expect(first).toMatchObject({ ...inputData, details: sample.details, applicationId: server.credentials.applicationId, sequence: 1 });
    expect(first.id).toBe(first.logEntryId);
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    const again = await appTester(logEntry, { authData, inputData });
    expect(again.id).toBe(first.id);

    const [stored] = await appTester(findLogEntries, { authData, inputData: { idempotencyKey: 'e2e-refund-1' } });
    expect(stored).toMatchObject({ id: first.id, entityId: 'inv/123', details: sample.details, actorRoles: ['support', 'refunds'], hash: first.hash });
  });

  it('log_entry stores non-JSON details as text, and the service rejects nothing the app validated', async () => {
    const result = await appTester(logEntry, { authData, inputData: { actorId: 'bob', action: 'LOGIN', details: 'signed in from {the} lobby' } });
    expect(result.details).toBe('signed in from {the} lobby');
    const [stored] = await appTester(findLogEntries, { authData, inputData: { actorId: 'bob' } });
    expect(stored?.details).toBe('signed in from {the} lobby');
  });

  it('new_log_entry returns entries newest first with unique ids, filtered', async () => {
    await appTester(logEntry, { authData, inputData: { actorId: 'carol', action: 'EXPORT', entityType: 'report', entityId: 'r1' } });
    const all = await appTester(newLogEntry, { authData, inputData: {}, meta: { limit: -1 } });
    expect(all.map((e) => e.actorId)).toEqual(['carol', 'bob', 'ada@example.com']);
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    const onlyReports = await appTester(newLogEntry, { authData, inputData: { entityType: 'report' } });
    expect(onlyReports.map((e) => e.action)).toEqual(['EXPORT']);
    const sampleRun = await appTester(newLogEntry, { authData, inputData: {}, meta: { isLoadingSample: true } });
    expect(sampleRun.length).toBeLessThanOrEqual(3);
  });

  it('find_log_entries searches by time range and returns [] when nothing matches', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(await appTester(findLogEntries, { authData, inputData: { from: future } })).toEqual([]);
    const recent = await appTester(findLogEntries, { authData, inputData: { from: '2020-01-01T00:00:00Z', action: 'LOGIN' } });
    expect(recent.map((e) => e.actorId)).toEqual(['bob']);
  });

  it('dropdown triggers list the connection\'s application and the recorded actions', async () => {
    const applications = await appTester(applicationList, { authData, meta: { isFillingDynamicDropdown: true } });
    expect(applications.map((a) => a.id)).toContain(server.credentials.applicationId);
    const actions = await appTester(recentActionList, { authData, meta: { isFillingDynamicDropdown: true } });
    expect(actions.map((a) => a.id).sort()).toEqual(['EXPORT', 'LOGIN', 'REFUND_ISSUED']);
  });

  it('new_log_entry_instant: subscribe, receive a matching entry at the target URL, perform it, unsubscribe', async () => {
    const received: unknown[] = [];
    const receiver: Server = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push(JSON.parse(body));
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const targetUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const subscription = await appTester(instant.performSubscribe, { authData, inputData: { action: 'DELETE' }, targetUrl });
      expect(subscription).toMatchObject({ targetUrl, action: 'DELETE' });

      await appTester(logEntry, { authData, inputData: { actorId: 'dave', action: 'VIEW' } });
      const logged = await appTester(logEntry, { authData, inputData: { actorId: 'dave', action: 'DELETE', details: '{"rows":3}' } });
      await server.app.hooks.idle();
      expect(received).toHaveLength(1);
      const delivered = received[0] as StoredEntry;
      expect(delivered).toMatchObject({ id: logged.id, action: 'DELETE', details: { rows: 3 } });

      const items = await appTester(instant.perform, { authData, inputData: {}, cleanedRequest: delivered });
      expect(items).toEqual([delivered]);
      const listed = await appTester(instant.performList, { authData, inputData: { action: 'DELETE' }, meta: { isLoadingSample: true } });
      expect(listed).toEqual([delivered]);

      await appTester(instant.performUnsubscribe, { authData, inputData: {}, subscribeData: { id: subscription.id } });
      await appTester(logEntry, { authData, inputData: { actorId: 'dave', action: 'DELETE' } });
      await server.app.hooks.idle();
      expect(received).toHaveLength(1);
      const again = await thrownBy(() => appTester(instant.performUnsubscribe, { authData, inputData: {}, subscribeData: { id: subscription.id } }));
      expect(again).toMatchObject({ status: 404, code: 'not_found' });
    } finally {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('integrity_alert is silent on an intact chain and fires once per break after a row is tampered with', async () => {
    const tenant = connection(await server.createTenant('Tamper test'));
    for (const action of ['A', 'B', 'C']) await appTester(logEntry, { authData: tenant, inputData: { actorId: 'eve', action } });
    expect(await appTester(integrityAlert, { authData: tenant, inputData: {} })).toEqual([]);

    const db = new DatabaseSync(server.dbPath);
    try {
      db.prepare('UPDATE entries SET actor_id = ? WHERE application_id = ? AND sequence = ?').run('mallory', tenant.applicationId ?? '', 2);
    } finally {
      db.close();
    }
    const [alert, ...rest] = await appTester(integrityAlert, { authData: tenant, inputData: {} });
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({ id: `${tenant.applicationId}:2:standalone_hash_mismatch`, firstBadSequence: 2, checked: 1 });
    expect(alert?.message).toMatch(/changed after it was recorded/);
    const [repeat] = await appTester(integrityAlert, { authData: tenant, inputData: {} });
    expect(repeat?.id).toBe(alert?.id);
    // The other tenant's chain is untouched.
    expect(await appTester(integrityAlert, { authData, inputData: {} })).toEqual([]);
  });
});
