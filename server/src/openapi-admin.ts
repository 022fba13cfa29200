/** The admin API's part of the OpenAPI document (paths and components come from sdk/src/contract/admin.ts). */
import {
  ADMIN_ROUTES,
  ADMIN_SCHEMAS,
} from './admin-contract.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });
const error = (description: string) => ({ description, content: json(ref('ErrorBody')) });
const security = [{ adminBearer: [] }];
const ADMIN_ERRORS = {
  '401': error('`unauthorized`: missing or wrong admin token'),
  '404': error('`not_found`: no such organization, application, key or hook (or the admin API is disabled)'),
  '429': error('`rate_limited`: too many failed admin authentications from this address'),
};
const param = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
/** Fastify's `:name` segments as OpenAPI's `{name}`, with their parameters. */
const path = (route: string) => route.replace(/:([A-Za-z]+)/g, '{$1}');
const params = (route: string) => [...route.matchAll(/:([A-Za-z]+)/g)].map((match) => param(match[1] as string));

const operation = (id: string, summary: string, route: string, responses: Record<string, unknown>, body?: string) => ({
  operationId: id,
  summary,
  tags: ['admin'],
  security,
  parameters: params(route),
  ...(body ? { requestBody: { required: true, content: json(ref(body)) } } : {}),
  responses: { ...responses, ...ADMIN_ERRORS },
});

/** The admin paths. */
export function adminPaths(): Record<string, unknown> {
  const r = ADMIN_ROUTES;
  return {
    [path(r.organizations)]: {
      post: operation('adminCreateOrganization', 'Create an organization (and optionally its first application); the reply holds its secret, shown only there', r.organizations, {
        '201': { description: 'Created', content: json(ref('CreatedOrganization')) },
        '409': error('`conflict`: the id exists'),
      }, 'CreateOrganizationRequest'),
      get: operation('adminListOrganizations', 'List organizations (never their secrets)', r.organizations, { '200': { description: 'The organizations', content: json(ref('OrganizationsResponse')) } }),
    },
    [path(r.applications)]: {
      post: operation('adminCreateApplication', 'Create an application', r.applications, {
        '201': { description: 'Created', content: json(ref('AdminApplication')) },
        '409': error('`conflict`: the id exists'),
      }, 'CreateApplicationRequest'),
      get: operation('adminListApplications', "List an organization's applications", r.applications, { '200': { description: 'The applications', content: json(ref('AdminApplicationsResponse')) } }),
    },
    [path(r.rotateSecret)]: {
      post: operation('adminRotateSecret', 'Rotate the organization secret; the old one stays valid for the grace period', r.rotateSecret, {
        '200': { description: 'The new secret, shown only here', content: json(ref('RotatedSecret')) },
      }, 'RotateSecretRequest'),
    },
    [path(r.applicationKeys)]: {
      post: operation('adminCreateApplicationKey', 'Create a per-application API key (shown only in this reply)', r.applicationKeys, {
        '201': { description: 'Created', content: json(ref('CreatedApplicationKey')) },
      }),
      get: operation('adminListApplicationKeys', "List an application's keys (never the keys themselves)", r.applicationKeys, {
        '200': { description: 'The keys', content: json(ref('ApplicationKeysResponse')) },
      }),
    },
    [path(r.applicationKey)]: {
      delete: operation('adminDeleteApplicationKey', 'Delete a key: it stops working at once', r.applicationKey, { '204': { description: 'Deleted' } }),
    },
    [path(r.hooks)]: {
      get: operation('adminListHooks', "List an application's webhook subscriptions (without signing secrets)", r.hooks, {
        '200': { description: 'The subscriptions', content: json(ref('AdminHooksResponse')) },
      }),
    },
    [path(r.hook)]: {
      delete: operation('adminDeleteHook', 'Delete a webhook subscription and its pending deliveries', r.hook, { '204': { description: 'Deleted' } }),
    },
  };
}

/** The admin components. */
export const ADMIN_COMPONENTS = ADMIN_SCHEMAS;

/** The admin security scheme. */
export const ADMIN_SECURITY_SCHEME = { adminBearer: { type: 'http', scheme: 'bearer', description: 'AUDIT_TRAIL_ADMIN_TOKEN (the admin API exists only when the server has one)' } };
