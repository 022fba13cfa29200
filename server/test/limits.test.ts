/**
 * Limits (issue 10): failed authentication is limited per client address and per organization (429 +
 * Retry-After) while clients whose secret was verified before keep working; appends beyond the in-flight bound
 * are answered 503 + Retry-After (the issue measured p99 13.9 s and never a 429/503), and nothing accepted is lost.
 */
import { connect } from 'node:net';
import { HEADERS, PATHS, type BatchResponse } from '../../sdk/src/contract/schemas.js';
import { basicAuthorization } from '../../sdk/src/contract/wire.js';
import type { Credentials } from '../../sdk/src/contract/wire.js';
import { AuditTrailClient } from '../../sdk/src/index.js';
import { startServer, type TestServer } from './support/start-server.js';
import { BACKENDS } from './support/postgres.js';
import { api, expectError } from './support/http.js';

describe.each(BACKENDS)('on %s', (backend) => {
  describe('failed authentication', () => {
    let server: TestServer;
    let victim: Credentials;
    beforeAll(async () => {
      server = await startServer({ backend, limits: { failedAuthPerAddress: 5, failedAuthPerOrganization: 1000, failedAuthWindowMs: 60_000 } });
      victim = await server.createTenant('Victim');
    });
    afterAll(() => server.close());

    test('per client address: the 6th wrong secret within the window is 429 with Retry-After; a verified client is unaffected', async () => {
      // The valid client authenticates once before the guessing starts.
      expect((await api(server, PATHS.authCheck)).status).toBe(200);
      for (let i = 0; i < 5; i += 1) {
        expectError(await api(server, PATHS.authCheck, { credentials: { ...server.credentials, apiSecret: `guess-${i}` } }), 401, 'unauthorized');
      }
      const limited = await api(server, PATHS.authCheck, { credentials: { ...server.credentials, apiSecret: 'guess-6' } });
      expectError(limited, 429, 'rate_limited');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      // Even the right secret of an organization not verified yet waits now (it would cost a scrypt)...
      expectError(await api(server, PATHS.authCheck, { credentials: victim }), 429, 'rate_limited');
      // ...but a client whose secret was verified before keeps working from the same address.
      expect((await api(server, PATHS.authCheck)).status).toBe(200);
      expect((await api(server, PATHS.log('alice', 'LOGIN'), { body: { ok: true } })).status).toBe(201);
    });
  });

  describe('failed authentication per organization', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer({ backend, limits: { failedAuthPerAddress: 1000, failedAuthPerOrganization: 3, failedAuthWindowMs: 60_000 } });
    });
    afterAll(() => server.close());

    test('the 4th wrong secret for one organization is 429; another organization is not affected', async () => {
      const other = await server.createTenant('Bystander');
      for (let i = 0; i < 3; i += 1) {
        expectError(await api(server, PATHS.authCheck, { credentials: { ...server.credentials, apiSecret: `guess-${i}` } }), 401, 'unauthorized');
      }
      expectError(await api(server, PATHS.authCheck, { credentials: { ...server.credentials, apiSecret: 'guess-4' } }), 429, 'rate_limited');
      expect((await api(server, PATHS.authCheck, { credentials: other })).status).toBe(200);
      expectError(await api(server, PATHS.authCheck, { credentials: { ...other, apiSecret: 'wrong' } }), 401, 'unauthorized');
    });
  });

  describe('back-pressure', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer({ backend, limits: { maxAppendsInFlight: 2 } });
    });
    afterAll(() => server.close());

    const batch = (n: number, tag: string) => ({ entries: Array.from({ length: n }, (_, i) => ({ actorId: 'load', action: 'BATCH', details: { tag, i } })) });

    test('beyond the bound, appends get 503 service_unavailable with Retry-After; the others are stored; reads are not limited', async () => {
      const responses = await Promise.all(Array.from({ length: 24 }, (_, i) => api<BatchResponse>(server, PATHS.batch, { body: batch(250, `b${i}`) })));
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 503).length).toBeGreaterThan(0);
      expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(0);
      expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
      for (const response of responses.filter((r) => r.status === 503)) {
        expectError(response, 503, 'service_unavailable');
        expect(response.headers.get('retry-after')).toBe('1');
      }
      const stored = responses.filter((r) => r.status === 200).length * 250;
      const verified = await api<{ valid: boolean; checked: number }>(server, PATHS.verifyChain);
      expect(verified.body).toEqual(expect.objectContaining({ valid: true, checked: stored }));
    });

    test('the SDK honours the 503 and its Retry-After: every entry enqueued by concurrent clients ends up stored once', async () => {
      const before = (await api<{ checked: number }>(server, PATHS.verifyChain)).body.checked;
      // Two appends held in flight by a client that sends its headers and only part of its body: the bound is full.
      const body = JSON.stringify(batch(1, 'held'));
      const held = Array.from({ length: 2 }, () => {
        const socket = connect(Number(new URL(server.baseUrl).port), '127.0.0.1');
        socket.write(
          `POST ${PATHS.batch} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n` +
            `Authorization: ${basicAuthorization(server.credentials.organizationId, server.credentials.apiSecret)}\r\n${HEADERS.applicationId}: ${server.credentials.applicationId}\r\n\r\n${body.slice(0, 5)}`,
        );
        return socket;
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const clients = Array.from({ length: 3 }, () => new AuditTrailClient({ baseUrl: server.baseUrl, ...server.credentials }));
      clients.forEach((client, c) => {
        for (let i = 0; i < 200; i += 1) void client.enqueue({ actorId: 'sdk', action: 'ENQUEUED', details: { c, i } });
      });
      const flushed = Promise.all(clients.map((client) => client.flush()));
      // Released after the SDK met the 503s; it waits at least the Retry-After second before trying again.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      for (const socket of held) socket.end(body.slice(5));
      await flushed;
      const stats = clients.map((client) => client.stats);
      await Promise.all(clients.map((client) => client.close()));
      expect(stats.reduce((sum, s) => sum + s.retries, 0)).toBeGreaterThan(0);
      expect(stats.reduce((sum, s) => sum + s.delivered, 0)).toBe(600);
      expect(stats.reduce((sum, s) => sum + s.failed + s.dropped, 0)).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await api<{ valid: boolean; checked: number }>(server, PATHS.verifyChain)).body).toEqual(expect.objectContaining({ valid: true, checked: before + 602 }));
    }, 60_000);
  });
});
