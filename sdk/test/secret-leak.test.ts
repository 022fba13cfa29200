/** The API secret and its Basic form never show in an error, in how a client prints, or in what it serialises. */
import { inspect } from 'node:util';
import nock from 'nock';
import type { AuditTrailClient } from '../src/client.js';
import { isAuditTrailError, type AuditTrailError } from '../src/errors.js';
import { BASIC_B64, SECRET, api, makeClient } from './support/fixtures.js';
import { useNock } from './support/use-nock.js';

// One attempt per call: these tests map a single reply to its error (retries are tested in client-retries.test.ts).
const client = makeClient({ maxRetries: 0 });
const entry = { actorId: 'alice', action: 'LOGIN' };

useNock(() => client.close());

/** Every way an error is commonly turned into text, including its cause chain. */
function renderings(error: AuditTrailError): string[] {
  return [
    String(error),
    error.message,
    error.stack ?? '',
    inspect(error, { depth: 10, showHidden: true }),
    JSON.stringify(error),
    JSON.stringify(error.cause ?? null),
    inspect(error.cause, { depth: 10, showHidden: true }),
  ];
}

function expectNoSecret(texts: string[]): void {
  for (const text of texts) {
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(BASIC_B64);
  }
}

async function failure(call: (c: AuditTrailClient) => Promise<unknown>, on: AuditTrailClient = client): Promise<AuditTrailError> {
  const error: unknown = await call(on).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isAuditTrailError(error)) throw new Error(`expected an AuditTrailError, got ${String(error)}`);
  return error;
}

test('the client prints and serialises without the secret', () => {
  const printed = [inspect(client, { depth: 10, showHidden: true }), JSON.stringify(client), String(client), `${client}`];
  expectNoSecret(printed);
  expect(inspect(client)).toContain('organizationId');
  expect(Object.keys(client)).toEqual([]);
});

test.each([401, 403, 422, 429, 500])('an HTTP %i error holds no secret', async (status) => {
  api().post('/api/log/alice/LOGIN').reply(status, { error: { code: 'unauthorized', message: 'Bad credentials' } }, { 'Retry-After': '1' });
  const error = await failure((c) => c.log(entry));
  expect(error.status).toBe(status);
  expectNoSecret(renderings(error));
});

test('a network error holds no secret (the axios error with its config is dropped)', async () => {
  api().post('/api/log/alice/LOGIN').replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
  const error = await failure((c) => c.log(entry));
  expect(error.code).toBe('ECONNRESET');
  expectNoSecret(renderings(error));
  expect(inspect(error, { depth: 10, showHidden: true })).not.toMatch(/authorization/i);
});

test('a timeout holds no secret', async () => {
  const quick = makeClient({ timeoutMs: 30, maxRetries: 0 });
  api().post('/api/log/alice/LOGIN').delay(1_000).reply(201, {});
  const error = await failure((c) => c.log(entry), quick);
  await quick.close();
  expect(error.code).toBe('ETIMEDOUT');
  expectNoSecret(renderings(error));
});

test('a service that echoes the secret back has it scrubbed from the message', async () => {
  const echo = `Credentials ${SECRET} / Basic ${BASIC_B64} are wrong`;
  api().post('/api/log/alice/LOGIN').reply(401, { error: { code: 'unauthorized', message: echo } });
  const error = await failure((c) => c.log(entry));
  expectNoSecret(renderings(error));
  expect(error.message).toContain('Credentials [redacted] / Basic [redacted] are wrong');
});

test('a custom transport failing with the credentials in its message has them scrubbed', async () => {
  const leaky = makeClient({
    transport: { send: () => Promise.reject(new Error(`401 for ${SECRET}`)), close: () => undefined },
  });
  const error = await failure((c) => c.checkAuth(), leaky);
  expectNoSecret(renderings(error));
});
