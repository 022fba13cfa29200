/**
 * The Zapier app against the real reference server (no nock): every operation's behaviour end to end, including
 * the REST hook delivered to a local receiver and an integrity alert after tampering with the SQLite file.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DatabaseSync } from 'node:sqlite';
import { testAuth } from '../../authentication';
import { perform as logEntry } from '../../creates/log_entry';
import { perform as logEntries } from '../../creates/log_entries';
import { perform as verifyAuditTrail } from '../../creates/verify_audit_trail';
import { perform as findLogEntries } from '../../searches/find_log_entries';
import { perform as findEntryById } from '../../searches/find_entry_by_id';
import { perform as recentEntryList } from '../../triggers/recent_entry_list';
import { perform as newLogEntry } from '../../triggers/new_log_entry';
import * as instant from '../../triggers/new_log_entry_instant';
import { perform as integrityAlert } from '../../triggers/integrity_alert';
import { perform as applicationList } from '../../triggers/application_list';
import { perform as recentActionList } from '../../triggers/recent_action_list';
import type { StoredEntry } from '../../sdk/src/contract/schemas';
import type { Credentials } from '../../sdk/src/contract/wire';
import sample from '../../samples/stored_entry.json';
import { RESPONSE_BUDGET_BYTES } from '../../zapier/entry-output';
import { appTester, closedPortUrl, thrownBy } from '../helpers/app-bundle';
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
    expect(again).toEqual(first);
    expect(first.entryUrl).toBe(`${server.baseUrl}/api/getEntryById?entryId=${first.id}`);

    // The same key with other details never shows the new details as if they were stored: the service either
    // answers 409 idempotency_conflict (shown as such) or the entry stored the first time (shown as stored).
    const changed = await appTester(logEntry, { authData, inputData: { ...inputData, details: '{"amount": 1}' } }).then(
      (entry) => ({ entry }),
      (error: unknown) => ({ error }),
    );
    if ('entry' in changed) expect(changed.entry).toEqual(first);
    else expect((changed.error as Error).message).toMatch(/This Idempotency Key was already used for a different entry/);

    const [stored] = await appTester(findLogEntries, { authData, inputData: { idempotencyKey: 'e2e-refund-1' } });
    expect(stored).toMatchObject({ id: first.id, entityId: 'inv/123', details: sample.details, actorRoles: ['support', 'refunds'], hash: first.hash });
  });

  it('log_entry stores plain-text details as text, refuses malformed JSON, and the service rejects nothing the app validated', async () => {
    const malformed = await thrownBy(() => appTester(logEntry, { authData, inputData: { actorId: 'bob', action: 'LOGIN', details: '{"amount": 5,}' } }));
    expect(malformed.message).toMatch(/^Details looks like JSON but is not valid JSON/);
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
      expect(items).toEqual([logged]);
      const listed = await appTester(instant.performList, { authData, inputData: { action: 'DELETE' }, meta: { isLoadingSample: true } });
      expect(listed).toEqual(items);

      await appTester(instant.performUnsubscribe, { authData, inputData: {}, subscribeData: { id: subscription.id } });
      await appTester(logEntry, { authData, inputData: { actorId: 'dave', action: 'DELETE' } });
      await server.app.hooks.idle();
      expect(received).toHaveLength(1);
      // The hook is gone already: turning the Zap off again still succeeds.
      expect(await appTester(instant.performUnsubscribe, { authData, inputData: {}, subscribeData: { id: subscription.id } })).toEqual({ id: subscription.id });
    } finally {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('new_log_entry_instant with an Entity Type / Entity ID filter is sent only entries about that entity', async () => {
    const received: StoredEntry[] = [];
    const receiver: Server = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push(JSON.parse(body) as StoredEntry);
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const targetUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const filter = { entityType: 'invoice', entityId: 'inv_9' };
      const subscription = await appTester(instant.performSubscribe, { authData, inputData: filter, targetUrl });
      await appTester(logEntry, { authData, inputData: { actorId: 'erin', action: 'PAID', entityType: 'invoice', entityId: 'inv_8' } });
      const logged = await appTester(logEntry, { authData, inputData: { actorId: 'erin', action: 'PAID', ...filter } });
      await server.app.hooks.idle();
      expect(received.map((entry) => entry.id)).toEqual([logged.id]);
      const polled = await appTester(newLogEntry, { authData, inputData: filter });
      expect(polled.map((entry) => entry.id)).toEqual([logged.id]);
      await appTester(instant.performUnsubscribe, { authData, inputData: {}, subscribeData: { id: subscription.id } });
    } finally {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('log_entries logs line items in one batch, a repeated key as a duplicate; find_entry_by_id reads each back', async () => {
    const tenant = connection(await server.createTenant('Batch test'));
    const result = await appTester(logEntries, {
      authData: tenant,
      inputData: {
        entries: [
          { actorId: 'fay', action: 'IMPORT', details: '{"rows": 10}', idempotencyKey: 'imp-1' },
          { actorId: 'fay', action: 'IMPORT', details: 'second file', actorRoles: 'ops, admin' },
          { actorId: 'fay', action: 'IMPORT', details: '{"rows": 10}', idempotencyKey: 'imp-1' },
        ],
      },
    });
    expect(result).toMatchObject({ count: 3, storedCount: 2, duplicateCount: 1, rejectedCount: 0 });
    expect(result.results.map((line) => [line.line, line.status, line.sequence])).toEqual([[1, 'stored', 1], [2, 'stored', 2], [3, 'duplicate', 1]]);
    const [second] = await appTester(findEntryById, { authData: tenant, inputData: { entryId: result.results[1]?.entryId ?? '' } });
    expect(second).toMatchObject({ sequence: 2, details: 'second file', actorRoles: ['ops', 'admin'], entryUrl: result.results[1]?.entryUrl, detailsOmitted: false });
    expect(await appTester(findEntryById, { authData: tenant, inputData: { entryId: 'no-such-entry' } })).toEqual([]);
    const dropdown = await appTester(recentEntryList, { authData: tenant, meta: { isFillingDynamicDropdown: true, page: 0 } });
    expect(dropdown.map((choice) => choice.label)).toEqual(['#2 IMPORT by fay', '#1 IMPORT by fay']);
  });

  it('verify_audit_trail returns the verification of the chain and of a range', async () => {
    const tenant = connection(await server.createTenant('Verify test'));
    for (const action of ['A', 'B', 'C']) await appTester(logEntry, { authData: tenant, inputData: { actorId: 'gus', action } });
    const whole = await appTester(verifyAuditTrail, { authData: tenant, inputData: {} });
    expect(whole).toMatchObject({ applicationId: tenant.applicationId, valid: true, checked: 3, reason: null });
    expect(whole.lastHash).toMatch(/^[0-9a-f]{64}$/);
    // The service signs a checkpoint of its Merkle tree: attached, and verified with the key it reports ...
    expect(whole).toMatchObject({ treeSize: 3, checkpointVerified: true, checkpointKeySource: 'reported', logOrigin: expect.stringMatching(new RegExp(`/app/${tenant.applicationId}$`)) });
    expect(whole.checkpoint).toMatch(/\n3\n[A-Za-z0-9+/]{43}=\n\n— /);
    const range = await appTester(verifyAuditTrail, { authData: tenant, inputData: { fromSequence: 2, toSequence: 3 } });
    expect(range).toMatchObject({ valid: true, checked: 2, lastHash: whole.lastHash });
    // ... and with that key pinned as the Trusted Verifier Key.
    const pinned = await appTester(verifyAuditTrail, { authData: tenant, inputData: { trustedVerifierKey: whole.verifierKey ?? '' } });
    expect(pinned).toMatchObject({ checkpointVerified: true, checkpointKeySource: 'trusted', treeSize: 3 });
  });

  it('poll and search responses stay under Zapier\'s 6 MB limit: 100 entries with 60 KB details', async () => {
    const tenant = connection(await server.createTenant('Large details'));
    const blob = 'x'.repeat(60_000);
    for (let batch = 0; batch < 10; batch++) {
      const entries = Array.from({ length: 10 }, (_, i) => ({ actorId: 'hal', action: 'UPLOAD', details: JSON.stringify({ n: batch * 10 + i, blob }) }));
      await appTester(logEntries, { authData: tenant, inputData: { entries } });
    }
    const polled = await appTester(newLogEntry, { authData: tenant, inputData: {}, meta: { limit: 100 } });
    expect(polled).toHaveLength(100);
    const bytes = Buffer.byteLength(JSON.stringify(polled));
    expect(bytes).toBeLessThanOrEqual(RESPONSE_BUDGET_BYTES);
    expect(polled.filter((entry) => entry.detailsOmitted)).toEqual(polled.filter((entry) => entry.details === null));
    expect(polled.filter((entry) => entry.detailsOmitted).length).toBeGreaterThan(0);
    const found = await appTester(findLogEntries, { authData: tenant, inputData: { actorId: 'hal' }, meta: { limit: 100 } });
    expect(Buffer.byteLength(JSON.stringify(found))).toBeLessThanOrEqual(RESPONSE_BUDGET_BYTES);
  }, 60_000);

  it('a service that is down, and an address that is not the service, fail the connection test with plain words', async () => {
    const down = await closedPortUrl();
    const unreachable = await thrownBy(() => appTester(testAuth, { authData: { ...authData, baseUrl: down } }));
    expect(unreachable.message).toBe(`Could not reach the Audit Trail service at ${down}. Check API Base URL.`);

    const website: Server = createServer((_request, response) => response.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><h1>Welcome</h1>'));
    await new Promise<void>((resolve) => website.listen(0, '127.0.0.1', resolve));
    try {
      const baseUrl = `http://127.0.0.1:${(website.address() as AddressInfo).port}`;
      const wrong = await thrownBy(() => appTester(testAuth, { authData: { ...authData, baseUrl } }));
      expect(wrong.message).toBe(`The address in API Base URL (${baseUrl}) answered, but not like an Audit Trail service. Check API Base URL: it must be the address of the Audit Trail service itself.`);
    } finally {
      website.closeAllConnections();
      await new Promise((resolve) => website.close(resolve));
    }
  });

  it('integrity_alert is silent on an intact chain and fires once per break after a row is tampered with', async () => {
    const tenant = connection(await server.createTenant('Tamper test'));
    for (const action of ['A', 'B', 'C']) await appTester(logEntry, { authData: tenant, inputData: { actorId: 'eve', action } });
    expect(await appTester(integrityAlert, { authData: tenant, inputData: {} })).toEqual([]);

    const db = new DatabaseSync(server.dbPath);
    try {
      db.prepare('UPDATE entries SET actor_id = ? WHERE app = (SELECT position FROM applications WHERE id = ?) AND sequence = ?').run('mallory', tenant.applicationId ?? '', 2);
    } finally {
      db.close();
    }
    // The row was verified already (it is below the watermark): the periodic full pass is what finds the change.
    await server.app.integrity.fullPass(tenant.applicationId ?? '');
    const [alert, ...rest] = await appTester(integrityAlert, { authData: tenant, inputData: {} });
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({ id: `${tenant.applicationId}:2:standalone_hash_mismatch`, firstBadSequence: 2, verifiedSequence: 3 });
    expect(alert?.message).toMatch(/changed after it was recorded/);
    const [repeat] = await appTester(integrityAlert, { authData: tenant, inputData: {} });
    expect(repeat?.id).toBe(alert?.id);
    // The other tenant's chain is untouched.
    expect(await appTester(integrityAlert, { authData, inputData: {} })).toEqual([]);
  });
});
