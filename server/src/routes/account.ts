/** What the credentials can see: `GET /api/auth/check`, `GET /api/applications`, `GET /api/actions`. */
import type { FastifyInstance } from 'fastify';
import type { ActionsResponse, ApplicationsResponse, AuthCheckResponse } from '@audit-trail/sdk/contract';
import { ROUTES } from './route-templates.js';
import { callerApplication } from '../auth/authenticate.js';
import type { ServerContext } from '../context.js';

// Enough for a dropdown; the actions endpoint has no paging.
const MAX_ACTIONS = 200;

export function registerAccountRoutes(app: FastifyInstance, { store }: ServerContext): void {
  app.get(ROUTES.authCheck, async (request): Promise<AuthCheckResponse> => {
    const application = callerApplication(request);
    const organization = request.caller!.organization;
    return {
      organizationId: organization.id,
      organizationName: organization.name,
      applicationId: application.id,
      applicationName: application.name,
    };
  });

  app.get(ROUTES.applications, { config: { organizationOnly: true } }, async (request): Promise<ApplicationsResponse> => {
    const { organization, keyApplicationId } = request.caller!;
    // An application key sees its own application only.
    const applications = (await store.tenants.listApplications(organization.id)).filter((a) => keyApplicationId === null || a.id === keyApplicationId);
    return { applications: applications.map(({ id, name, createdAt }) => ({ id, name, createdAt })) };
  });

  app.get(ROUTES.actions, async (request): Promise<ActionsResponse> => {
    const application = callerApplication(request);
    return { actions: await store.entries.actions(application.id, MAX_ACTIONS) };
  });
}
