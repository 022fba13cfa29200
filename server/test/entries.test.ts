import { PATHS, type ActionsResponse, type ApplicationsResponse, type AuthCheckResponse, type ListResponse, type StoredEntry } from '../../sdk/src/contract/schemas.js';
import { verifyChain } from '../../sdk/src/contract/chain.js';
import { queryString } from '../../sdk/src/contract/wire.js';
import { useServer } from './support/use-server.js';
import { api, expectError } from './support/http.js';

const server = useServer();
let midpoint: string;

const list = (query: Record<string, string | number | undefined> = {}) => api<ListResponse>(server, `${PATHS.entries}${queryString(query)}`);

beforeAll(async () => {
  const entries = [
    { actorId: 'alice', action: 'LOGIN' },
    { actorId: 'bob', action: 'LOGIN' },
    { actorId: 'alice', action: 'UPDATE', entityType: 'invoice', entityId: 'inv_1' },
    { actorId: 'alice', action: 'UPDATE', entityType: 'invoice', entityId: 'inv_2', idempotencyKey: 'find-me' },
    { actorId: 'bob', action: 'DELETE', entityType: 'user', entityId: 'u_9' },
  ];
  await api(server, PATHS.batch, { body: { entries: entries.slice(0, 2) } });
  await new Promise((resolve) => setTimeout(resolve, 15));
  midpoint = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 15));
  await api(server, PATHS.batch, { body: { entries: entries.slice(2) } });
});

describe('GET /api/entries', () => {
  test('lists newest first by default, as StoredEntry objects with every field', async () => {
    const response = await list();
    expect(response.status).toBe(200);
    expect(response.body.entries.map((e) => e.sequence)).toEqual([5, 4, 3, 2, 1]);
    expect(response.body.nextCursor).toBeNull();
    expect(Object.keys(response.body.entries[0] as StoredEntry).sort()).toEqual(
      ['action', 'actorDisplayName', 'actorId', 'actorRoles', 'applicationId', 'details', 'entityId', 'entityType', 'hash',
        'hashVersion', 'id', 'idempotencyKey', 'ip', 'occurredAt', 'previousHash', 'sequence', 'standaloneHash', 'timestamp'].sort(),
    );
    expect(response.body.entries[0]).toMatchObject({ applicationId: server.credentials.applicationId, hashVersion: 2, ip: null });
  });

  test('order=asc lists in chain order, which verifyChain accepts', async () => {
    const response = await list({ order: 'asc' });
    expect(response.body.entries.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5]);
    expect(verifyChain(response.body.entries)).toMatchObject({ valid: true, checked: 5 });
  });

  test.each([
    [{ actorId: 'alice' }, [4, 3, 1]],
    [{ action: 'LOGIN' }, [2, 1]],
    [{ entityType: 'invoice' }, [4, 3]],
    [{ entityType: 'invoice', entityId: 'inv_1' }, [3]],
    [{ idempotencyKey: 'find-me' }, [4]],
    [{ actorId: 'bob', action: 'LOGIN' }, [2]],
    [{ actorId: 'nobody' }, []],
  ])('filters by %j', async (query, sequences) => {
    expect((await list(query)).body.entries.map((e) => e.sequence)).toEqual(sequences);
  });

  test('filters by time range: from inclusive, to exclusive, any ISO-8601 offset', async () => {
    expect((await list({ from: midpoint })).body.entries.map((e) => e.sequence)).toEqual([5, 4, 3]);
    expect((await list({ to: midpoint })).body.entries.map((e) => e.sequence)).toEqual([2, 1]);
    // The same instant written as local time two hours ahead.
    const local = new Date(Date.parse(midpoint) + 2 * 3600_000).toISOString().slice(0, 23) + '+02:00';
    expect((await list({ from: local })).body.entries.map((e) => e.sequence)).toEqual([5, 4, 3]);
    const first = (await list({ order: 'asc', limit: 1 })).body.entries[0] as StoredEntry;
    expect((await list({ from: first.timestamp, to: first.timestamp })).body.entries).toEqual([]);
  });

  test('pages with an opaque cursor until nextCursor is null, in both orders', async () => {
    for (const order of ['desc', 'asc'] as const) {
      const seen: number[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await list({ limit: 2, order, cursor });
        expect(page.status).toBe(200);
        seen.push(...page.body.entries.map((e) => e.sequence));
        cursor = page.body.nextCursor ?? undefined;
        pages += 1;
      } while (cursor !== undefined);
      expect(seen).toEqual(order === 'desc' ? [5, 4, 3, 2, 1] : [1, 2, 3, 4, 5]);
      expect(pages).toBe(3);
    }
  });

  test('a cursor keeps its filters’ meaning when used with the same filters', async () => {
    const first = await list({ actorId: 'alice', limit: 1 });
    const second = await list({ actorId: 'alice', limit: 5, cursor: first.body.nextCursor ?? undefined });
    expect(second.body.entries.map((e) => e.sequence)).toEqual([3, 1]);
  });

  test.each([
    [{ limit: 0 }, 'limit'],
    [{ limit: 1001 }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ order: 'sideways' }, 'order'],
    [{ cursor: 'garbage!' }, 'cursor'],
    [{ from: 'yesterday' }, 'from'],
    [{ to: '2026-13-45T99:00:00Z' }, 'to'],
  ])('rejects %j with 400 invalid_field', async (query, field) => {
    expectError(await list(query as Record<string, string>), 400, 'invalid_field', field);
  });

  test('rejects a cursor made for the other order', async () => {
    const page = await list({ limit: 1, order: 'asc' });
    expectError(await list({ cursor: page.body.nextCursor ?? '', order: 'desc' }), 400, 'invalid_field', 'cursor');
  });

  test('rejects an over-long filter with field_too_long', async () => {
    expectError(await list({ actorId: 'a'.repeat(300) }), 400, 'field_too_long', 'actorId');
  });
});

describe('GET /api/getEntryById', () => {
  test('returns the entry', async () => {
    const [newest] = (await list({ limit: 1 })).body.entries;
    const response = await api<StoredEntry>(server, `${PATHS.entryById}?entryId=${newest?.id}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(newest);
  });

  test('404 not_found for an unknown id, 400 without one', async () => {
    expectError(await api(server, `${PATHS.entryById}?entryId=00000000-0000-4000-8000-000000000000`), 404, 'not_found');
    expectError(await api(server, PATHS.entryById), 400, 'missing_field', 'entryId');
  });
});

describe('account routes', () => {
  test('GET /api/auth/check names the organization and application', async () => {
    const response = await api<AuthCheckResponse>(server, PATHS.authCheck);
    expect(response.body).toEqual({
      organizationId: server.credentials.organizationId,
      organizationName: 'Test organization',
      applicationId: server.credentials.applicationId,
      applicationName: 'Test application',
    });
  });

  test('GET /api/applications needs no Application-Id and lists the organization’s applications', async () => {
    const { applicationId: _ignored, ...organizationOnly } = server.credentials;
    const response = await api<ApplicationsResponse>(server, PATHS.applications, {
      credentials: null,
      headers: { authorization: `Basic ${Buffer.from(`${organizationOnly.organizationId}:${organizationOnly.apiSecret}`).toString('base64')}` },
    });
    expect(response.status).toBe(200);
    expect(response.body.applications).toEqual([{ id: server.credentials.applicationId, name: 'Test application', createdAt: expect.any(String) }]);
  });

  test('GET /api/actions lists distinct actions, most recently recorded first, with counts', async () => {
    const response = await api<ActionsResponse>(server, PATHS.actions);
    expect(response.body.actions.map((a) => [a.action, a.count])).toEqual([['DELETE', 1], ['UPDATE', 2], ['LOGIN', 2]]);
    expect(response.body.actions[0]?.lastRecordedAt).toMatch(/Z$/);
  });
});
