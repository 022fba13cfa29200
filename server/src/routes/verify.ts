/** `GET /api/verification/chain`: recomputes the chain (or a range) with the contract's chain verification. */
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { VerifyQuerySchema, verifyQueryIssue, type VerifyResult } from '@audit-trail/sdk/contract';
import { ROUTES } from './route-templates.js';
import { verifyRange } from '../verification/verify-range.js';
import { callerApplication } from '../auth/authenticate.js';
import type { ServerContext } from '../context.js';
import { ApiError } from '../errors.js';

export function registerVerifyRoutes(app: FastifyInstance, { store }: ServerContext): void {
  app.get<{ Querystring: Static<typeof VerifyQuerySchema> }>(
    ROUTES.verifyChain,
    { schema: { querystring: VerifyQuerySchema } },
    async (request): Promise<VerifyResult> => {
      const application = callerApplication(request);
      const issue = verifyQueryIssue(request.query);
      if (issue) throw new ApiError(issue.code, issue.message, issue.field);
      const head = await store.entries.head(application.id);
      const { fromSequence, toSequence } = request.query;
      // A range naming entries that do not exist cannot be verified: answering "valid, checked 0" would let a
      // caller believe entries it asked about were checked.
      if (fromSequence !== undefined && fromSequence > head.sequence) {
        throw new ApiError('invalid_range', `fromSequence ${fromSequence} is past the newest entry (sequence ${head.sequence})`, 'fromSequence');
      }
      if (toSequence !== undefined && toSequence > head.sequence) {
        throw new ApiError('invalid_range', `toSequence ${toSequence} is past the newest entry (sequence ${head.sequence})`, 'toSequence');
      }
      const from = fromSequence ?? 1;
      const to = toSequence ?? head.sequence;
      return verifyRange(store.entries, application.id, from, to);
    },
  );
}
