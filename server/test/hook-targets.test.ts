/**
 * SSRF through webhooks (issue 10: 11 of 15 hostile targets were accepted). A server in production configuration
 * (no allowLoopback) refuses every target that is not https to a public address, at subscription and again at
 * delivery, and connects to exactly the address it checked. Hostnames resolve through an injected resolver, so
 * the test makes no DNS query and sends nothing beyond loopback.
 */
import { PATHS, type HookSubscription } from '../../sdk/src/contract/schemas.js';
import type { Resolver } from '../src/hooks/target-policy.js';
import { startServer, type TestServer } from './support/start-server.js';
import { api, expectError } from './support/http.js';
import { startReceiver, waitFor, type WebhookReceiver } from './support/webhook-receiver.js';

// A documentation-range look-alike is not public; 93.184.215.14 stands for any public address (never contacted).
const PUBLIC = '93.184.215.14';
const names: Record<string, string[]> = {
  'localhost': ['127.0.0.1', '::1'],
  'metadata.google.internal': ['169.254.169.254'],
  'example.com': [PUBLIC],
  'mixed.test': [PUBLIC, '127.0.0.1'],
  'private.test': ['10.1.2.3'],
  'mapped.test': ['::ffff:127.0.0.1'],
};
let rebindTo: string | undefined;
const resolver: Resolver = async (hostname) => {
  if (hostname === 'rebind.test') return [{ address: rebindTo ?? PUBLIC, family: 4 }];
  const addresses = names[hostname];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ webhooks: { allowLoopback: false, resolver, retryDelaysMs: [] } });
});
afterAll(() => server.close());

const subscribe = (targetUrl: string) => api<HookSubscription>(server, PATHS.hooks, { body: { targetUrl } });

describe('hostile webhook targets are refused at subscription (422 target_not_allowed)', () => {
  const hostile = () => [
    // The list.
    'http://127.0.0.1/hook',
    'https://127.0.0.1/hook',
    'https://[::1]/hook',
    'https://0.0.0.0/hook',
    'https://localhost/hook',
    'https://2130706433/hook',
    'https://0x7f.1/hook',
    'https://169.254.169.254/latest/meta-data/',
    `${server.baseUrl}${PATHS.hooks}`,
    'https://user:pw@example.com/hook',
    // More spellings of loopback and unspecified.
    'https://0177.0.0.1/hook',
    'https://127.1/hook',
    'https://0/hook',
    'https://[::]/hook',
    'https://[0:0:0:0:0:0:0:1]/hook',
    // IPv4-mapped and other IPv6 wrappers of IPv4.
    'https://[::ffff:127.0.0.1]/hook',
    'https://[::ffff:7f00:1]/hook',
    'https://[::ffff:169.254.169.254]/hook',
    'https://[64:ff9b::7f00:1]/hook',
    'https://[2002:7f00:1::]/hook',
    // Private, link-local, unique-local, carrier-grade NAT, multicast, broadcast.
    'https://10.0.0.1/hook',
    'https://172.16.0.1/hook',
    'https://192.168.1.1/hook',
    'https://[fe80::1]/hook',
    'https://[fd00:ec2::254]/hook',
    'https://100.100.100.200/hook',
    'https://224.0.0.1/hook',
    'https://[ff02::1]/hook',
    'https://255.255.255.255/hook',
    // Names resolving to such addresses, or to a mix, and userinfo without a password.
    'https://metadata.google.internal/computeMetadata/v1/',
    'https://private.test/hook',
    'https://mapped.test/hook',
    'https://mixed.test/hook',
    'https://user@example.com/hook',
    'https://:pw@example.com/hook',
    // Plain http to a public host, and a name that does not resolve.
    'http://example.com/hook',
    'https://nowhere.test/hook',
  ];

  test('every one of them', async () => {
    const accepted: string[] = [];
    for (const target of hostile()) {
      const response = await subscribe(target);
      if (response.status !== 422) accepted.push(`${target} → ${response.status} ${response.text.slice(0, 120)}`);
      else expectError(response, 422, 'target_not_allowed', 'targetUrl');
    }
    expect(accepted).toEqual([]);
    expect(hostile().length).toBeGreaterThanOrEqual(35);
  });

  test('a reply names the reason without echoing credentials', async () => {
    const response = await subscribe('https://user:hunter2@example.com/hook');
    expect((response.body as unknown as { error: { message: string } }).error.message).toMatch(/user name or password/);
    expect(response.text).not.toContain('hunter2');
  });

  test('an https URL to a public address is accepted', async () => {
    const response = await subscribe('https://example.com/hook');
    expect(response.status).toBe(201);
    expect((await api(server, PATHS.hook(response.body.id), { method: 'DELETE' })).status).toBe(204);
  });

  test('malformed URLs stay 400 invalid_field', async () => {
    expectError(await subscribe('ftp://example.com/x'), 400, 'invalid_field', 'targetUrl');
    expectError(await subscribe('not a url'), 400, 'invalid_field', 'targetUrl');
  });
});

describe('the target is checked again at delivery, and the checked address is the one connected to', () => {
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());

  test('DNS rebinding: a name that resolved to a public address at subscription and to loopback at delivery gets nothing', async () => {
    rebindTo = PUBLIC;
    const hook = await subscribe(`https://rebind.test:${receiver.port}/hook`);
    expect(hook.status).toBe(201);
    rebindTo = '127.0.0.1';
    // Nothing else subscribed (so that nothing is sent beyond loopback whatever happens below).
    expect((await server.app.store.hooks.listForApplication(server.credentials.applicationId)).map((h) => h.id)).toEqual([hook.body.id]);
    expect((await api(server, PATHS.log('alice', 'LOGIN'), { body: { n: 1 } })).status).toBe(201);
    await server.app.hooks.idle();
    // Not even a TCP connection (the https attempt would show up here although this receiver speaks plain http).
    expect(receiver.connections).toBe(0);
    // Given up (no retries configured), so the queue holds nothing more for it.
    expect(await server.app.store.hooks.pendingDeliveries(10)).toEqual([]);
    await api(server, PATHS.hook(hook.body.id), { method: 'DELETE' });
  });
});

describe('pinning (local-development server allowing loopback)', () => {
  let local: TestServer;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    // pinned.test exists only in this resolver: the system resolver would fail, so a delivery that arrives went
    // to the address the check returned, not to a second lookup.
    local = await startServer({ webhooks: { resolver: async () => [{ address: '127.0.0.1', family: 4 }] } });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await local.close();
    await receiver.close();
  });

  test('the connection uses the checked address', async () => {
    const hook = await api<HookSubscription>(local, PATHS.hooks, { body: { targetUrl: `http://pinned.test:${receiver.port}/in` } });
    expect(hook.status).toBe(201);
    await api(local, PATHS.log('alice', 'LOGIN'), { body: { n: 1 } });
    expect(await waitFor(() => receiver.received.length === 1, 5000)).toBe(true);
    // The Host header still names the URL's host (TLS would verify the certificate against it too).
    expect(receiver.received[0]?.headers.host).toBe(`pinned.test:${receiver.port}`);
  });

  test('even with loopback allowed, userinfo, private and metadata addresses are refused', async () => {
    for (const targetUrl of ['http://u:p@127.0.0.1/x', 'https://169.254.169.254/', 'https://10.0.0.1/', 'http://[::ffff:10.0.0.1]/']) {
      expectError(await api(local, PATHS.hooks, { body: { targetUrl } }), 422, 'target_not_allowed', 'targetUrl');
    }
  });
});
