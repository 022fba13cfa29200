/**
 * `GET /api/verification/chain`: recomputes the chain (or a range) with the contract's chain verification and
 * reports every break (bounded). `GET /api/verification/integrity`: the verified watermark and the breaks found,
 * checking only the entries added since the last check. Neither runs a long verification on the event loop: see
 * verification/integrity-monitor.ts.
 */
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { VerifyQuerySchema, verifyQueryIssue, type IntegrityStatus, type VerifyResult } from '@audit-trail/sdk/contract';
import { ROUTES } from './route-templates.js';
import { callerApplication } from '../auth/authenticate.js';
import type { ServerContext } from '../context.js';
import { ApiError } from '../errors.js';

export function registerVerifyRoutes(app: FastifyInstance, { store, monitor }: ServerContext): void {
  app.get<{ Querystring: Static<typeof VerifyQuerySchema> }>(
    ROUTES.verifyChain,
    { schema: { querystring: VerifyQuerySchema } },
    async (request): Promise<VerifyResult> => {
      const application = callerApplication(request);
      const issue = verifyQueryIssue(request.query);
      if (issue) throw new ApiError(issue.code, issue.message, issue.field);
      const { fromSequence, toSequence } = request.query;
      // The whole chain: a full pass in a worker, whose breaks the integrity status keeps reporting.
      if (fromSequence === undefined && toSequence === undefined) return monitor.fullPass(application.id);
      const head = await store.entries.head(application.id);
      // A range naming entries that do not exist cannot be verified: answering "valid, checked 0" would let a
      // caller believe entries it asked about were checked.
      if (fromSequence !== undefined && fromSequence > head.sequence) {
        throw new ApiError('invalid_range', `fromSequence ${fromSequence} is past the newest entry (sequence ${head.sequence})`, 'fromSequence');
      }
      if (toSequence !== undefined && toSequence > head.sequence) {
        throw new ApiError('invalid_range', `toSequence ${toSequence} is past the newest entry (sequence ${head.sequence})`, 'toSequence');
      }
      const to = toSequence ?? head.sequence;
      return (await monitor.verify(application.id, fromSequence ?? 1, to)).result;
    },
  );

  app.get(ROUTES.integrity, async (request): Promise<IntegrityStatus> => monitor.check(callerApplication(request).id));
}
