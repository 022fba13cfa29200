/** `GET /api/verification/chain`: recomputes the chain (or a range) with sdk/chain.ts `verifyChain`. */
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ROUTES, type VerifyResult } from '@audit-trail/sdk/contract';
import { GENESIS_HASH, verifyChain } from '@audit-trail/sdk/contract';
import { callerApplication } from '../auth/authenticate.js';
import type { ServerContext } from '../context.js';
import { VerifyQuerySchema } from '../schemas.js';
import type { EntryRepository } from '../store/repositories.js';
import type { StoredEntry } from '@audit-trail/sdk/contract';

// Verification reads the chain in pages so a long chain never sits in memory at once.
const PAGE = 1000;

const gapAt = (entry: StoredEntry, checked: number): VerifyResult => ({
  valid: false,
  checked,
  firstBadEntryId: entry.id,
  firstBadSequence: entry.sequence,
  reason: 'sequence_gap',
});

/** Verifies entries `fromSequence..toSequence` of one application's chain. */
export async function verifyRange(
  entries: EntryRepository,
  applicationId: string,
  fromSequence: number,
  toSequence: number,
): Promise<VerifyResult> {
  // Anchor on the row before the range when it exists, so a range that no longer follows its predecessor fails;
  // otherwise the first entry's own previousHash (genesis for sequence 1) is the anchor.
  let anchor: string | undefined = fromSequence === 1 ? GENESIS_HASH : (await entries.findBySequence(applicationId, fromSequence - 1))?.hash;
  let expected = fromSequence;
  let checked = 0;
  while (expected <= toSequence) {
    const page = await entries.range(applicationId, expected, toSequence, PAGE);
    const first = page[0];
    if (!first) break;
    if (first.sequence !== expected) return gapAt(first, checked);
    const result = verifyChain(page, anchor === undefined ? {} : { anchorHash: anchor });
    if (!result.valid) return { ...result, checked: checked + result.checked };
    checked += result.checked;
    anchor = result.lastHash;
    expected = first.sequence + page.length;
    if (page.length < PAGE) break;
  }
  if (expected <= toSequence) {
    // Rows are missing at the end of the range: the first row after them is the first that does not follow.
    const next = await entries.nextAfter(applicationId, expected - 1);
    if (next) return gapAt(next, checked);
    // No row follows, yet the range ends at or before the head: the newest entries were removed. The head is
    // kept apart from the rows (applications table), so removing rows cannot rewind it.
    return { valid: false, checked, firstBadEntryId: null, firstBadSequence: expected, reason: 'entries_missing' };
  }
  return { valid: true, checked, lastHash: anchor ?? GENESIS_HASH };
}

export function registerVerifyRoutes(app: FastifyInstance, { store }: ServerContext): void {
  app.get<{ Querystring: Static<typeof VerifyQuerySchema> }>(
    ROUTES.verifyChain,
    { schema: { querystring: VerifyQuerySchema } },
    async (request): Promise<VerifyResult> => {
      const application = callerApplication(request);
      const head = await store.entries.head(application.id);
      const from = request.query.fromSequence ?? 1;
      const to = Math.min(request.query.toSequence ?? head.sequence, head.sequence);
      return verifyRange(store.entries, application.id, from, to);
    },
  );
}
