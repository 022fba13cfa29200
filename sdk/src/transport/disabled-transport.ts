/**
 * The transport of a client built with `disabled: true` (tests, local runs): it answers every request here, with
 * the emptiest reply the contract allows, and sends nothing. The client above it is unchanged, so input is still
 * checked exactly as it would be before a real request.
 */
import { GENESIS_HASH } from '../contract/chain.js';
import { PATHS } from '../contract/endpoints.js';
import type { Receipt } from '../contract/schemas.js';
import type { WireRequest } from '../contract/wire.js';
import { uuidv7 } from '../ids.js';
import type { Transport, TransportResponse } from './transport.js';

const json = (status: number, body: unknown): TransportResponse => ({ status, headers: { 'content-type': 'application/json' }, body });

/** Answers locally; see `ClientOptions.disabled`. */
export class DisabledTransport implements Transport {
  #sequence = 0;

  constructor(private readonly ids: { organizationId: string; applicationId: string }) {}

  /**
   * A placeholder receipt: a fresh id, the next local sequence number, hashes of 64 zeros and no checkpoint (an
   * empty string, which `verifyReceipt` refuses: a disabled client proves nothing).
   */
  #receipt(): Receipt {
    const sequence = ++this.#sequence;
    return {
      logEntryId: uuidv7(),
      sequence,
      treeSize: sequence,
      checkpoint: '',
      hash: GENESIS_HASH,
      previousHash: GENESIS_HASH,
      standaloneHash: GENESIS_HASH,
      timestamp: new Date().toISOString(),
    };
  }

  async send(request: WireRequest): Promise<TransportResponse> {
    const path = request.path.split('?')[0] ?? '';
    if (request.method === 'POST' && path === PATHS.batch) {
      const { entries } = JSON.parse(request.body ?? '{"entries":[]}') as { entries: unknown[] };
      const results = entries.map((_, index) => ({ index, status: 'stored', receipt: this.#receipt() }));
      return json(200, { results, failedLogIndexes: [] });
    }
    if (request.method === 'POST' && path.startsWith('/api/log/')) return json(201, this.#receipt());
    if (request.method === 'POST' && path === PATHS.hooks) {
      const body = JSON.parse(request.body ?? '{}') as Record<string, string | undefined>;
      return json(201, {
        id: uuidv7(),
        targetUrl: body['targetUrl'],
        actorId: body['actorId'] ?? null,
        action: body['action'] ?? null,
        entityType: body['entityType'] ?? null,
        createdAt: new Date().toISOString(),
      });
    }
    if (request.method === 'DELETE') return { status: 204, headers: {}, body: '' };
    switch (path) {
      case PATHS.entries:
        return json(200, { entries: [], nextCursor: null });
      case PATHS.verifyChain:
        return json(200, { valid: true, checked: 0, lastHash: GENESIS_HASH });
      case PATHS.authCheck:
        return json(200, { ...this.ids, organizationName: 'disabled', applicationName: 'disabled' });
      case PATHS.applications:
        return json(200, { applications: [] });
      case PATHS.actions:
        return json(200, { actions: [] });
      default:
        return json(404, { error: { code: 'not_found', message: 'The client is disabled: nothing is stored' } });
    }
  }

  close(): void {}
}
