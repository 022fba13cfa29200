/** The exact requests the client puts on the wire, checked with nock. */
import nock from 'nock';
import { HEADERS, LIMITS, type Entry } from '../src/contract/schemas.js';
import { APP, BASE_URL, BASIC, api, makeClient, receipt } from './support/fixtures.js';
import { useNock } from './support/use-nock.js';

interface Seen {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Records each request. The body comes from the scope's `request` event, which carries the raw string: the reply
 * callback gets JSON bodies already parsed, and re-serialising them would hide byte differences.
 */
function capture(interceptor: nock.Interceptor, status: number, reply: unknown, seen: Seen[]): nock.Scope {
  let rawBody = '';
  const scope = interceptor.reply(function (uri) {
    seen.push({ method: this.req.method, path: uri, headers: { ...this.req.headers }, body: rawBody });
    return [status, reply as nock.Body];
  });
  // Emitted before the reply callback runs.
  scope.on('request', (_req: unknown, _interceptor: unknown, body: string) => {
    rawBody = body;
  });
  return scope;
}

const client = makeClient();

useNock(() => client.close());

describe('log', () => {
  test('posts the JSON details to /api/log/{actorId}/{action} with Basic auth and Application-Id', async () => {
    const seen: Seen[] = [];
    capture(api().post('/api/log/alice/LOGIN'), 201, receipt(), seen);
    const result = await client.log({ actorId: 'alice', action: 'LOGIN', details: { mfa: true, n: 1 } });
    expect(result).toEqual(receipt());
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request?.method).toBe('POST');
    expect(request?.headers['authorization']).toBe(BASIC);
    expect(request?.headers['application-id']).toBe(APP);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body).toBe('{"mfa":true,"n":1}');
  });

  test('URL-encodes path segments: slashes, spaces, unicode, percent and question marks', async () => {
    const seen: Seen[] = [];
    capture(api().post(() => true), 201, receipt(), seen);
    await client.log({ actorId: 'a/b c', action: 'ÜBER?x%y#z', details: 'x' });
    expect(seen[0]?.path).toBe('/api/log/a%2Fb%20c/%C3%9CBER%3Fx%25y%23z');
  });

  test('sends text details as text/plain, byte for byte', async () => {
    const seen: Seen[] = [];
    capture(api().post('/api/log/bob/NOTE'), 201, receipt(), seen);
    await client.log({ actorId: 'bob', action: 'NOTE', details: 'He said "hi" — twice.\n{not json' });
    expect(seen[0]?.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(seen[0]?.body).toBe('He said "hi" — twice.\n{not json');
  });

  test('carries the optional metadata as headers, percent-encoding the free-text ones', async () => {
    const seen: Seen[] = [];
    capture(api().post('/api/log/carol/EXPORT'), 201, receipt(), seen);
    const entry: Entry = {
      actorId: 'carol',
      action: 'EXPORT',
      details: {},
      actorDisplayName: 'Zoë Ämsel',
      actorRoles: ['admin', 'data officer'],
      occurredAt: '2026-01-31T12:00:00Z',
      ip: '2001:db8::1',
      idempotencyKey: 'key-123',
    };
    await client.log(entry);
    const headers = seen[0]?.headers ?? {};
    expect(headers[HEADERS.actorDisplayName.toLowerCase()]).toBe('Zo%C3%AB%20%C3%84msel');
    expect(headers[HEADERS.actorRoles.toLowerCase()]).toBe('admin,data%20officer');
    expect(headers[HEADERS.occurredAt.toLowerCase()]).toBe('2026-01-31T12:00:00Z');
    expect(headers[HEADERS.ip.toLowerCase()]).toBe('2001:db8::1');
    expect(headers[HEADERS.idempotencyKey.toLowerCase()]).toBe('key-123');
    expect(seen[0]?.body).toBe('{}');
  });

  test('uses the entity path variant when entityType and entityId are given', async () => {
    const seen: Seen[] = [];
    capture(api().post(() => true), 200, receipt({ sequence: 7 }), seen);
    const result = await client.log({ actorId: 'dan', action: 'UPDATE', entityType: 'invoice', entityId: 'inv/7 a', details: { total: 3 } });
    expect(seen[0]?.path).toBe('/api/log/dan/UPDATE/invoice/inv%2F7%20a');
    expect(result.sequence).toBe(7);
  });

  test('sends no metadata headers for fields that are absent, and a minted UUIDv7 idempotency key', async () => {
    const seen: Seen[] = [];
    capture(api().post('/api/log/erin/LOGOUT'), 201, receipt(), seen);
    await client.log({ actorId: 'erin', action: 'LOGOUT' });
    const names = Object.keys(seen[0]?.headers ?? {});
    for (const header of [HEADERS.actorDisplayName, HEADERS.actorRoles, HEADERS.occurredAt, HEADERS.ip]) {
      expect(names).not.toContain(header.toLowerCase());
    }
    expect(seen[0]?.headers[HEADERS.idempotencyKey.toLowerCase()]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('keeps the idempotency key the caller gave', async () => {
    const seen: Seen[] = [];
    capture(api().post('/api/log/erin/LOGOUT'), 201, receipt(), seen);
    await client.log({ actorId: 'erin', action: 'LOGOUT', idempotencyKey: 'mine-1' });
    expect(seen[0]?.headers[HEADERS.idempotencyKey.toLowerCase()]).toBe('mine-1');
  });
});

describe('logBatch', () => {
  test('posts {"entries":[...]} with each entry serialised once, in order', async () => {
    const seen: Seen[] = [];
    const response = {
      results: [
        { index: 0, status: 'stored', receipt: receipt() },
        { index: 1, status: 'rejected', error: { code: 'invalid_field', message: 'nope', field: 'ip' } },
      ],
      failedLogIndexes: [1],
    };
    capture(api().post('/api/log/batch'), 200, response, seen);
    const entries: Entry[] = [
      { actorId: 'a', action: 'X', details: { k: 'v' } },
      { actorId: 'b', action: 'Y', details: 'text', entityType: 't', entityId: 'i' },
    ];
    await expect(client.logBatch(entries)).resolves.toEqual(response);
    expect(seen[0]?.headers['content-type']).toBe('application/json');
    // Each entry gets a minted key (after its own fields), so a retried batch stores nothing twice.
    const sent = JSON.parse(seen[0]?.body ?? '') as { entries: Entry[] };
    const keys = sent.entries.map((entry) => entry.idempotencyKey);
    expect(new Set(keys).size).toBe(2);
    expect(seen[0]?.body).toBe(
      `{"entries":[${JSON.stringify({ ...entries[0], idempotencyKey: keys[0] })},${JSON.stringify({ ...entries[1], idempotencyKey: keys[1] })}]}`,
    );
  });
});

describe('reading', () => {
  const stored = { entries: [], nextCursor: null };

  test('listEntries sends the filters as a query string', async () => {
    const seen: Seen[] = [];
    capture(api().get(() => true), 200, stored, seen);
    await client.listEntries({ actorId: 'a b', action: 'LOGIN', from: '2026-01-01T00:00:00Z', limit: 10, order: 'asc' });
    expect(seen[0]?.method).toBe('GET');
    const url = new URL(seen[0]?.path ?? '', BASE_URL);
    expect(url.pathname).toBe('/api/entries');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      actorId: 'a b',
      action: 'LOGIN',
      from: '2026-01-01T00:00:00Z',
      limit: '10',
      order: 'asc',
    });
  });

  test('listEntries without a query sends no query string', async () => {
    const seen: Seen[] = [];
    capture(api().get('/api/entries'), 200, stored, seen);
    await client.listEntries();
    expect(seen[0]?.path).toBe('/api/entries');
  });

  test('iterateEntries follows nextCursor until it is null', async () => {
    const page = (ids: string[], nextCursor: string | null) => ({ entries: ids.map((id) => ({ id })), nextCursor });
    api().get('/api/entries').query({ actorId: 'z' }).reply(200, page(['1', '2'], 'c1'));
    api().get('/api/entries').query({ actorId: 'z', cursor: 'c1' }).reply(200, page(['3'], 'c2'));
    api().get('/api/entries').query({ actorId: 'z', cursor: 'c2' }).reply(200, page([], null));
    const ids: string[] = [];
    for await (const entry of client.iterateEntries({ actorId: 'z' })) ids.push(entry.id);
    expect(ids).toEqual(['1', '2', '3']);
    expect(nock.isDone()).toBe(true);
  });

  test('iterateEntries stops with an error when the service repeats a cursor', async () => {
    api().get('/api/entries').query({ cursor: 'same' }).times(2).reply(200, { entries: [], nextCursor: 'same' });
    const run = async (): Promise<void> => {
      for await (const _ of client.iterateEntries({ cursor: 'same' })) void _;
    };
    await expect(run()).rejects.toThrow(/same page cursor twice/);
  });

  test('getEntry asks /api/getEntryById with the id URL-encoded in the query', async () => {
    const seen: Seen[] = [];
    capture(api().get(() => true), 200, { id: 'x/y', hash: 'h' }, seen);
    await client.getEntry('x/y');
    expect(seen[0]?.path).toBe('/api/getEntryById?entryId=x%2Fy');
  });

  test('verify asks /api/verification/chain with the range', async () => {
    const seen: Seen[] = [];
    capture(api().get(() => true), 200, { valid: true, checked: 3, lastHash: 'h' }, seen);
    await expect(client.verify({ fromSequence: 2, toSequence: 4 })).resolves.toEqual({ valid: true, checked: 3, lastHash: 'h' });
    expect(seen[0]?.path).toBe('/api/verification/chain?fromSequence=2&toSequence=4');
  });

  test('checkAuth, listApplications and listActions GET their paths', async () => {
    const auth = { organizationId: 'org-1', organizationName: 'Org', applicationId: APP, applicationName: 'App' };
    api().get('/api/auth/check').reply(200, auth);
    api().get('/api/applications').reply(200, { applications: [] });
    api().get('/api/actions').reply(200, { actions: [{ action: 'LOGIN', count: 2, lastRecordedAt: '2026-01-01T00:00:00Z' }] });
    await expect(client.checkAuth()).resolves.toEqual(auth);
    await expect(client.listApplications()).resolves.toEqual({ applications: [] });
    await expect(client.listActions()).resolves.toMatchObject({ actions: [{ action: 'LOGIN' }] });
    expect(nock.isDone()).toBe(true);
  });

  test('the page size limit of the contract is accepted', async () => {
    api().get('/api/entries').query({ limit: String(LIMITS.pageSize) }).reply(200, stored);
    await expect(client.listEntries({ limit: LIMITS.pageSize })).resolves.toEqual(stored);
  });
});

describe('webhooks', () => {
  test('subscribeHook posts only the known fields as JSON', async () => {
    const seen: Seen[] = [];
    const subscription = { id: 'h1', targetUrl: 'https://hooks.example/1', actorId: null, action: 'LOGIN', entityType: null, createdAt: 'x' };
    capture(api().post('/api/hooks'), 201, subscription, seen);
    await expect(client.subscribeHook({ targetUrl: 'https://hooks.example/1', action: 'LOGIN' })).resolves.toEqual(subscription);
    expect(seen[0]?.headers['content-type']).toBe('application/json');
    expect(seen[0]?.body).toBe('{"targetUrl":"https://hooks.example/1","action":"LOGIN"}');
  });

  test('unsubscribeHook sends DELETE /api/hooks/{id} and accepts 204', async () => {
    const seen: Seen[] = [];
    capture(api().delete('/api/hooks/h%201'), 204, '', seen);
    await expect(client.unsubscribeHook('h 1')).resolves.toBeUndefined();
    expect(seen[0]?.method).toBe('DELETE');
  });
});

describe('replies that are not from an audit-trail service', () => {
  test('a 2xx text body is reported, not returned as a receipt', async () => {
    api().post('/api/log/a/b').reply(200, '<html>hello</html>', { 'Content-Type': 'text/html' });
    await expect(client.log({ actorId: 'a', action: 'b' })).rejects.toThrow(/unexpected reply \(HTTP 200\).*baseUrl/);
  });
});
