import { Batch } from '../../src/delivery/batch.js';
import { EntryArena } from '../../src/delivery/entry-arena.js';
import { sendBatch } from '../../src/delivery/send-batch.js';
import { TAKES_BYTE_BODIES, type Transport, type TransportResponse } from '../../src/transport/transport.js';
import type { WireRequest } from '../../src/contract/wire.js';

const arena = new EntryArena();
const batch = (): Batch =>
  new Batch({ maxEntries: 10, maxBytes: 10_000 }, [{ actorId: 'Zoë', action: 'A', idempotencyKey: 'k1' }].map((entry, seq) => ({ key: 'k1', ...arena.write(JSON.stringify(entry)), seq, acceptedAt: 0, segment: -1 })));
const stored: TransportResponse = { status: 200, headers: {}, body: { results: [{ index: 0, status: 'stored', receipt: {} }], failedLogIndexes: [] } };

describe('sendBatch', () => {
  const options = { timeoutMs: 1000, signal: new AbortController().signal };

  it('hands a custom transport the body as text, as WireRequest promises', async () => {
    const bodies: unknown[] = [];
    const transport: Transport = { send: async (request: WireRequest) => (bodies.push(request.body), stored), close: () => {} };
    expect((await sendBatch(transport, batch(), options)).kind).toBe('results');
    expect(bodies).toEqual(['{"entries":[{"actorId":"Zoë","action":"A","idempotencyKey":"k1"}]}']);
  });

  it('hands a transport that takes byte bodies the UTF-8 bytes', async () => {
    const bodies: unknown[] = [];
    const transport = { [TAKES_BYTE_BODIES]: true, send: async (request: { body?: unknown }) => (bodies.push(request.body), stored), close: () => {} };
    expect((await sendBatch(transport as unknown as Transport, batch(), options)).kind).toBe('results');
    expect(Buffer.isBuffer(bodies[0])).toBe(true);
    expect((bodies[0] as Buffer).toString('utf8')).toBe('{"entries":[{"actorId":"Zoë","action":"A","idempotencyKey":"k1"}]}');
  });
});
