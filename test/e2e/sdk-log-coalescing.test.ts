/**
 * Concurrent `log()` calls coalesced into batch requests, against the real reference server on both engines: every
 * caller gets its own receipt, and each receipt verifies by itself (signed checkpoint, stored entry, RFC 9162
 * inclusion proof); the chain stays valid, nothing is stored twice, and a reused idempotency key with other content
 * fails only the caller who reused it.
 */
import { AuditTrailClient } from '../../sdk/src/client.js';
import { ConflictError } from '../../sdk/src/errors.js';
import type { Receipt } from '../../sdk/src/contract/schemas.js';
import { BACKENDS } from '../../server/test/support/postgres.js';
import { useServer } from '../../server/test/support/use-server.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';

describe.each(BACKENDS)('on %s', (backend) => {
  const server = useServer({ backend });
  let client: AuditTrailClient;
  // A pass-through proxy in front of the server, to count the requests that reach it.
  let proxy: FaultProxy;

  beforeAll(async () => {
    proxy = await startFaultProxy(server.baseUrl);
    client = new AuditTrailClient({ baseUrl: proxy.url, ...server.credentials });
  });
  afterAll(async () => {
    await client.close();
    await proxy.close();
  });

  test('100 concurrent log() calls: fewer requests, 100 distinct receipts, each verified, chain valid', async () => {
    const before = proxy.counts.requests;
    const receipts: Receipt[] = await Promise.all(
      Array.from({ length: 100 }, (_, n) => client.log({ actorId: `caller-${n}`, action: 'LOGIN', details: { n } })),
    );
    expect(proxy.counts.requests - before).toBeLessThan(100);
    expect(new Set(receipts.map((receipt) => receipt.logEntryId)).size).toBe(100);
    expect(new Set(receipts.map((receipt) => receipt.sequence)).size).toBe(100);
    for (const [n, receipt] of receipts.entries()) {
      const stored = await client.getEntry(receipt.logEntryId);
      expect(stored).toMatchObject({ actorId: `caller-${n}`, details: { n }, sequence: receipt.sequence, hash: receipt.hash });
      const verification = await client.verifyReceipt(receipt);
      expect(verification.entry.id).toBe(receipt.logEntryId);
    }
    const chain = await client.verify();
    expect(chain).toMatchObject({ valid: true, checked: 100 });
  });

  test('a conflicting idempotency key inside a shared request fails only its caller, with a ConflictError', async () => {
    const key = `coalesce-${backend}-key`;
    await client.log({ actorId: 'first', action: 'SET', idempotencyKey: key, details: { v: 1 } });
    const outcomes = await Promise.allSettled([
      client.log({ actorId: 'a', action: 'OK' }),
      client.log({ actorId: 'b', action: 'OK' }),
      client.log({ actorId: 'c', action: 'OK' }),
      client.log({ actorId: 'first', action: 'SET', idempotencyKey: key, details: { v: 2 } }),
      client.log({ actorId: 'd', action: 'OK' }),
      // The same key with the same content is a replay: the original receipt, nothing stored twice.
      client.log({ actorId: 'first', action: 'SET', idempotencyKey: key, details: { v: 1 } }),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const conflict = (outcomes[3] as PromiseRejectedResult).reason as ConflictError;
    expect(conflict).toBeInstanceOf(ConflictError);
    expect(conflict.code).toBe('idempotency_conflict');
    const stored = await client.listEntries({ actorId: 'first' });
    expect(stored.entries).toHaveLength(1);
    expect((await client.verify()).valid).toBe(true);
  });
});
