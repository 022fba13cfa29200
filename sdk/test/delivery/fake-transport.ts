/**
 * A scriptable in-memory Transport for queue tests: records every request and answers like the batch endpoint
 * (a result per entry, `duplicate` for a key seen before) unless a scripted reply says otherwise.
 */
import { HEADERS, PREFER_MINIMAL, type BatchResult, type BatchSummary, type Entry, type Receipt } from '../../src/contract/schemas.js';
import { NetworkError } from '../../src/errors.js';
import type { SendOptions, Transport, TransportResponse } from '../../src/transport/transport.js';
import type { WireRequest } from '../../src/contract/wire.js';

/** One scripted reply: a response, a thrown network error, or a hang until aborted. */
export type Reply =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { network: 'ECONNRESET' | 'ECONNREFUSED' | 'ETIMEDOUT' }
  | { hang: true }
  | { rejectIndexes: number[] };

export interface RecordedRequest {
  request: WireRequest;
  entries: Entry[];
  options: SendOptions | undefined;
}

export class FakeTransport implements Transport {
  readonly requests: RecordedRequest[] = [];
  readonly stored = new Map<string, Receipt>();
  readonly script: Reply[] = [];
  inFlight = 0;
  maxInFlight = 0;
  closed = false;
  #sequence = 0;
  /** When set, every request waits for this promise before answering (to hold requests in flight). */
  gate: Promise<void> | undefined;

  get batches(): Entry[][] {
    return this.requests.map((r) => r.entries);
  }

  async send(request: WireRequest, options?: SendOptions): Promise<TransportResponse> {
    const entries = (JSON.parse(request.body ?? '{}') as { entries: Entry[] }).entries;
    this.requests.push({ request, entries, options });
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.gate) await this.gate;
      const reply = this.script.shift();
      if (reply && 'hang' in reply) {
        await new Promise<never>((_, reject) =>
          options?.signal?.addEventListener('abort', () => reject(new NetworkError('aborted', { code: 'ABORTED' }))),
        );
      }
      if (reply && 'network' in reply) throw new NetworkError(`network: ${reply.network}`, { code: reply.network });
      if (reply && 'status' in reply) return { status: reply.status, headers: reply.headers ?? {}, body: reply.body };
      const reject = new Set(reply && 'rejectIndexes' in reply ? reply.rejectIndexes : []);
      const full = this.#answer(entries, reject);
      if (request.headers[HEADERS.prefer] !== PREFER_MINIMAL) return { status: 200, headers: {}, body: full };
      // Like the service: counts and rejections only, and the header saying the preference was applied.
      const summary: BatchSummary = { stored: 0, duplicates: 0, rejected: [], failedLogIndexes: full.failedLogIndexes };
      for (const result of full.results) {
        if (result.status === 'rejected') summary.rejected.push({ index: result.index, error: result.error });
        else if (result.status === 'stored') summary.stored += 1;
        else summary.duplicates += 1;
      }
      return { status: 200, headers: { [HEADERS.preferenceApplied.toLowerCase()]: PREFER_MINIMAL }, body: summary };
    } finally {
      this.inFlight -= 1;
    }
  }

  close(): void {
    this.closed = true;
  }

  #answer(entries: Entry[], reject: Set<number>): { results: BatchResult[]; failedLogIndexes: number[] } {
    const results = entries.map((entry, index): BatchResult => {
      if (reject.has(index)) return { index, status: 'rejected', error: { code: 'invalid_field', message: 'bad entry' } };
      const key = entry.idempotencyKey as string;
      const known = this.stored.get(key);
      if (known) return { index, status: 'duplicate', receipt: known };
      const receipt: Receipt = {
        logEntryId: `id-${++this.#sequence}`,
        sequence: this.#sequence,
        hash: 'h'.repeat(64),
        previousHash: '0'.repeat(64),
        standaloneHash: 's'.repeat(64),
        timestamp: new Date(0).toISOString(),
        treeSize: this.#sequence,
        checkpoint: 'not checked by the delivery tests\n',
      };
      this.stored.set(key, receipt);
      return { index, status: 'stored', receipt };
    });
    return { results, failedLogIndexes: [...reject] };
  }
}

/** A valid entry numbered `i`. */
export const entry = (i: number, extra: Partial<Entry> = {}): Entry => ({
  actorId: `user-${i}`,
  action: 'TEST',
  details: { i },
  ...extra,
});
