/** Webhook subscriptions (REST hooks): `POST /api/hooks`, `DELETE /api/hooks/{id}`. */
import { randomUUID } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { CreateHookRequestSchema, type HookSubscription } from '@audit-trail/sdk/contract';
import { ROUTES } from './route-templates.js';
import { callerApplication } from '../auth/authenticate.js';
import { isJsonRequest } from '../body-parsers.js';
import type { ServerContext } from '../context.js';
import { ApiError } from '../errors.js';
import { generateHookSecret } from '../hooks/signature.js';
import { insertHookWithinCap } from '../hooks/subscribe.js';
import { TargetNotAllowedError, checkTarget } from '../hooks/target-policy.js';

/** Path parameters of `DELETE /api/hooks/:id` (the router's, so not part of the contract). */
const HookParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export function registerHookRoutes(app: FastifyInstance, { store, dispatcher }: ServerContext): void {
  app.post<{ Body: Static<typeof CreateHookRequestSchema> }>(
    ROUTES.hooks,
    {
      // Checked before the schema, so a text body gets 415 rather than a validation error.
      preValidation: async (request) => {
        if (!isJsonRequest(request)) throw new ApiError('unsupported_media_type', 'The body must be application/json');
        if (request.body === undefined) throw new ApiError('missing_field', 'targetUrl is required', 'targetUrl');
      },
      schema: { body: CreateHookRequestSchema },
    },
    async (request, reply) => {
      const application = callerApplication(request);
      try {
        await checkTarget(request.body.targetUrl, dispatcher.policy);
      } catch (error) {
        if (!(error instanceof TargetNotAllowedError)) throw error;
        throw new ApiError(error.malformed ? 'invalid_field' : 'target_not_allowed', error.message, 'targetUrl');
      }
      const secret = generateHookSecret();
      const subscription: HookSubscription = {
        id: randomUUID(),
        targetUrl: request.body.targetUrl,
        actorId: request.body.actorId ?? null,
        action: request.body.action ?? null,
        entityType: request.body.entityType ?? null,
        entityId: request.body.entityId ?? null,
        createdAt: new Date().toISOString(),
      };
      const inserted = await insertHookWithinCap(store, { ...subscription, applicationId: application.id, secret }, dispatcher.maxHooksPerApplication);
      if (!inserted) {
        throw new ApiError('hook_limit_reached', `An application may have at most ${dispatcher.maxHooksPerApplication} webhook subscriptions; delete one first`);
      }
      // The secret is in this reply only: it is the receiver's key to check signatures, and nothing lists it again.
      return reply.code(201).send({ ...subscription, secret });
    },
  );

  app.delete<{ Params: Static<typeof HookParamsSchema> }>(
    ROUTES.hook,
    { schema: { params: HookParamsSchema } },
    async (request, reply) => {
      const application = callerApplication(request);
      if (!(await store.hooks.delete(application.id, request.params.id))) {
        throw new ApiError('not_found', `No webhook subscription ${request.params.id} in this application`);
      }
      dispatcher.forget(request.params.id);
      return reply.code(204).send();
    },
  );
}
