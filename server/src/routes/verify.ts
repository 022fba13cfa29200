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
      const from = request.query.fromSequence ?? 1;
      const to = Math.min(request.query.toSequence ?? head.sequence, head.sequence);
      return verifyRange(store.entries, application.id, from, to);
    },
  );
}
