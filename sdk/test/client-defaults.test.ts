/** Loud failures, environment defaults and the disabled mode of the client. */
import nock from 'nock';
import { AuditTrailClient } from '../src/client.js';
import { ValidationError } from '../src/errors.js';
import { normalizeOptions } from '../src/options.js';
import type { FailedEntry } from '../src/delivery/events.js';
import { APP, BASE_URL, ORG, SECRET, api, makeClient } from './support/fixtures.js';
import { useNock } from './support/use-nock.js';

useNock();

const unauthorized = { error: { code: 'unauthorized', message: 'wrong secret' } };
const quick = { maxBatchEntries: 1, flushIntervalMs: 1 };

describe('failures are loud by default', () => {
  test('a failed entry with no listener goes to the logger, and close() returns it', async () => {
    const warnings: string[] = [];
    const client = makeClient({ logger: { warn: (message) => warnings.push(message) }, delivery: quick });
    api().post('/api/log/batch').reply(401, unauthorized);
    client.enqueue({ actorId: 'ada', action: 'LOGIN', details: { secretish: 'do-not-print' }, idempotencyKey: 'k-1' });
    await client.flush();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/1 entry could not be delivered .*client_error, unauthorized.*k-1/);
    expect(warnings[0]).not.toContain('do-not-print');
    const closed = await client.close();
    expect(closed.failed).toEqual([
      expect.objectContaining<Partial<FailedEntry>>({ idempotencyKey: 'k-1', reason: 'client_error', code: 'unauthorized', status: 401 }),
    ]);
    expect(closed.undelivered).toEqual([]);
  });

  test('without a logger, process.emitWarning reports it', async () => {
    const emitted = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const client = makeClient({ delivery: quick });
      api().post('/api/log/batch').reply(401, unauthorized);
      client.enqueue({ actorId: 'ada', action: 'LOGIN' });
      await client.flush();
      expect(emitted).toHaveBeenCalledWith(expect.stringMatching(/could not be delivered/), { code: 'AUDIT_TRAIL_DELIVERY_FAILED' });
      await client.close();
    } finally {
      emitted.mockRestore();
    }
  });

  test('a failed listener takes over: nothing is logged, close() still returns the entry', async () => {
    const warn = jest.fn();
    const client = makeClient({ logger: { warn }, delivery: quick });
    const heard: FailedEntry[] = [];
    client.on('failed', ({ entries }) => heard.push(...entries));
    api().post('/api/log/batch').reply(401, unauthorized);
    client.enqueue({ actorId: 'ada', action: 'LOGIN' });
    await client.flush();
    expect(heard).toHaveLength(1);
    expect(warn).not.toHaveBeenCalled();
    expect((await client.close()).failed).toHaveLength(1);
  });
});

describe('environment defaults', () => {
  const env = {
    AUDIT_TRAIL_BASE_URL: `${BASE_URL}/`,
    AUDIT_TRAIL_ORGANIZATION_ID: ORG,
    AUDIT_TRAIL_API_SECRET: SECRET,
    AUDIT_TRAIL_APPLICATION_ID: APP,
  };

  test('every connection option falls back to its AUDIT_TRAIL_* variable; a given option wins', () => {
    expect(normalizeOptions({}, env)).toMatchObject({ baseUrl: BASE_URL, organizationId: ORG, apiSecret: SECRET, applicationId: APP });
    expect(normalizeOptions({ applicationId: 'other' }, env).applicationId).toBe('other');
  });

  test('a missing one names both the option and the variable', () => {
    expect(() => normalizeOptions({}, { ...env, AUDIT_TRAIL_API_SECRET: '' })).toThrow(
      'AuditTrailClient option "apiSecret" is required (or set AUDIT_TRAIL_API_SECRET)',
    );
    expect(() => normalizeOptions({}, {})).toThrow(/"baseUrl" is required \(or set AUDIT_TRAIL_BASE_URL\)/);
  });

  test('new AuditTrailClient() reads process.env and sends with those credentials', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const client = new AuditTrailClient();
      api().get('/api/actions').reply(200, { actions: [] });
      await expect(client.listActions()).resolves.toEqual({ actions: [] });
      await client.close();
    } finally {
      for (const key of Object.keys(env)) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  });
});

describe('disabled mode (tests, local runs)', () => {
  test('needs no credentials, sends nothing, still checks input and resolves', async () => {
    nock.disableNetConnect();
    const client = new AuditTrailClient({ disabled: true });
    const receipt = await client.log({ actorId: 'ada', action: 'LOGIN' });
    expect(receipt).toMatchObject({ sequence: 1, hash: '0'.repeat(64) });
    await expect(client.log({ actorId: '', action: 'LOGIN' })).rejects.toBeInstanceOf(ValidationError);
    await expect(client.logBatch([{ actorId: 'a', action: 'b' }])).resolves.toMatchObject({ failedLogIndexes: [], results: [{ status: 'stored' }] });
    await expect(client.listEntries({ actorId: 'ada' })).resolves.toEqual({ entries: [], nextCursor: null });
    await expect(client.verify()).resolves.toMatchObject({ valid: true, checked: 0 });
    await expect(client.verifyLocally()).resolves.toMatchObject({ valid: true, checked: 0 });
    const delivered: string[] = [];
    client.on('delivered', ({ entries }) => delivered.push(...entries.map((entry) => entry.idempotencyKey)));
    client.enqueue({ actorId: 'ada', action: 'LOGOUT', idempotencyKey: 'k-9' });
    await expect(client.close()).resolves.toEqual({ drained: true, undelivered: [], failed: [], keptInSpool: false });
    expect(delivered).toEqual(['k-9']);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('options given are still checked', () => {
    expect(() => new AuditTrailClient({ disabled: true, baseUrl: 'ftp://x' })).toThrow(/baseUrl/);
    expect(() => new AuditTrailClient({ disabled: 'yes' as unknown as boolean })).toThrow(/"disabled" must be true or false/);
  });
});
