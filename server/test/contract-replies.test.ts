/**
 * The contract's response schemas are the ones the OpenAPI document publishes and the SDK's types come from;
 * this checks that the real server's replies match them, so the published shapes are checked, not copies.
 */
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import {
  ActionsResponseSchema,
  ApplicationsResponseSchema,
  AuthCheckResponseSchema,
  BatchResponseSchema,
  ErrorBodySchema,
  HookSubscriptionSchema,
  ListResponseSchema,
  PATHS,
  ReceiptSchema,
  StoredEntrySchema,
  VerifyResultSchema,
  type BatchResponse,
  type Receipt,
} from '../../sdk/src/contract/schemas.js';
import { queryString } from '../../sdk/src/contract/wire.js';
import { useServer } from './support/use-server.js';
import { api } from './support/http.js';

const server = useServer();

function expectShape(schema: TSchema, value: unknown): void {
  const check = TypeCompiler.Compile(schema);
  expect([...check.Errors(value)].map((error) => `${error.path}: ${error.message}`)).toEqual([]);
}

test('every success reply matches its contract schema', async () => {
  const one = await api<Receipt>(server, PATHS.logAboutEntity('ada', 'UPDATE', 'invoice', 'inv_1'), {
    body: { amount: 3 },
    headers: { 'Actor-Roles': 'admin', 'Idempotency-Key': 'k-1' },
  });
  expect(one.status).toBe(201);
  expectShape(ReceiptSchema, one.body);

  const batch = await api<BatchResponse>(server, PATHS.batch, {
    body: { entries: [{ actorId: 'bob', action: 'LOGIN', details: 'text' }, { actorId: '', action: 'x' }, { actorId: 'ada', action: 'UPDATE', idempotencyKey: 'k-1', entityType: 'invoice', entityId: 'inv_1', details: { amount: 3 }, actorRoles: ['admin'] }] },
  });
  expectShape(BatchResponseSchema, batch.body);
  expect(batch.body.results.map((result) => result.status)).toEqual(['stored', 'rejected', 'duplicate']);

  const list = await api(server, PATHS.entries + queryString({ limit: 1 }));
  expectShape(ListResponseSchema, list.body);
  const entry = (list.body as { entries: unknown[] }).entries[0];
  expectShape(StoredEntrySchema, (await api(server, PATHS.entryById + queryString({ entryId: (entry as { id: string }).id }))).body);
  expectShape(VerifyResultSchema, (await api(server, PATHS.verifyChain)).body);
  expectShape(AuthCheckResponseSchema, (await api(server, PATHS.authCheck)).body);
  expectShape(ApplicationsResponseSchema, (await api(server, PATHS.applications)).body);
  expectShape(ActionsResponseSchema, (await api(server, PATHS.actions)).body);
  const hook = await api(server, PATHS.hooks, { body: { targetUrl: 'http://127.0.0.1:9/hook', action: 'LOGIN' } });
  expect(hook.status).toBe(201);
  expectShape(HookSubscriptionSchema, hook.body);
});

test.each([
  ['a date without a time zone', { from: '2026-01-31T12:00:00' }, 'from'],
  ['a date that does not exist', { to: '2026-02-31T00:00:00Z' }, 'to'],
  ['a page size over the limit', { limit: 1001 }, 'limit'],
])('the list query rule is the contract one: %s is refused, in the SDK’s words', async (_name, query, field) => {
  const reply = await api<{ error: { field: string; message: string } }>(server, PATHS.entries + queryString(query));
  expect(reply.status).toBe(400);
  expectShape(ErrorBodySchema, reply.body);
  expect(reply.body.error.field).toBe(field);
  expect(reply.body.error.message).toMatch(new RegExp(`${field} (must|is not)`));
});

test('a reversed verification range is refused as the SDK refuses it', async () => {
  const reply = await api<{ error: { field: string; message: string } }>(server, PATHS.verifyChain + queryString({ fromSequence: 5, toSequence: 4 }));
  expect(reply.status).toBe(400);
  expect(reply.body.error).toMatchObject({ field: 'toSequence', message: 'toSequence must not be smaller than fromSequence' });
});
