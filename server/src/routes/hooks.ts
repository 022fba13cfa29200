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

/** Path parameters of `DELETE /api/hooks/:id` (the router's, so not part of the contract). */
const HookParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

function checkTargetUrl(value: string): void {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new ApiError('invalid_field', 'targetUrl must be an absolute http(s) URL', 'targetUrl');
  }
}

export function registerHookRoutes(app: FastifyInstance, { store }: ServerContext): void {
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
      checkTargetUrl(request.body.targetUrl);
      const subscription: HookSubscription = {
        id: randomUUID(),
        targetUrl: request.body.targetUrl,
        actorId: request.body.actorId ?? null,
        action: request.body.action ?? null,
        entityType: request.body.entityType ?? null,
        entityId: request.body.entityId ?? null,
        createdAt: new Date().toISOString(),
      };
      await store.hooks.insert({ ...subscription, applicationId: application.id });
      return reply.code(201).send(subscription);
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
      return reply.code(204).send();
    },
  );
}
