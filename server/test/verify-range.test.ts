/** Verification ranges must name entries that exist: a range past the head is a 400, not "valid, checked 0". */
import { PATHS } from '../../sdk/src/contract/schemas.js';
import { startServer, type TestServer } from './support/start-server.js';
import { api, expectError } from './support/http.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  for (let i = 0; i < 3; i += 1) await api(server, PATHS.log('alice', 'STEP'), { body: { i } });
});
afterAll(() => server.close());

const verify = (query: string) => api(server, `${PATHS.verifyChain}${query}`);

test.each([
  ['?fromSequence=99', 'fromSequence'],
  ['?fromSequence=4', 'fromSequence'],
  ['?toSequence=4', 'toSequence'],
  ['?fromSequence=2&toSequence=99', 'toSequence'],
])('%s → 400 invalid_range naming %s', async (query, field) => {
  expectError(await verify(query), 400, 'invalid_range', field);
});

test('a reversed range is a field error (the contract checks it before the server looks at the chain)', async () => {
  expectError(await verify('?fromSequence=3&toSequence=2'), 400, 'invalid_field', 'toSequence');
});

test('ranges inside the chain still verify', async () => {
  expect((await verify('?fromSequence=3')).body).toMatchObject({ valid: true, checked: 1 });
  expect((await verify('?fromSequence=1&toSequence=3')).body).toMatchObject({ valid: true, checked: 3 });
  expect((await verify('')).body).toMatchObject({ valid: true, checked: 3 });
});

test('an empty chain verifies with checked 0 when no range is named', async () => {
  const other = await server.createTenant('Empty');
  expect((await api(server, PATHS.verifyChain, { credentials: other })).body).toEqual({ valid: true, checked: 0, lastHash: expect.any(String) });
  expectError(await api(server, `${PATHS.verifyChain}?fromSequence=1`, { credentials: other }), 400, 'invalid_range', 'fromSequence');
});
