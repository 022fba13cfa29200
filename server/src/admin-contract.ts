/**
 * The administration API of the reference server (kept beside the server rather than in the SDK's contract: the
 * SDK has no admin client, and the contract loads no TypeBox at require) (`/api/admin/...`): creating and listing organizations and
 * applications, rotating organization secrets, per-application API keys, listing and deleting webhook
 * subscriptions. It authenticates with `Authorization: Bearer <AUDIT_TRAIL_ADMIN_TOKEN>`, separate from every
 * tenant credential, and is absent (404) when the server has no admin token. Secrets and keys appear in the reply
 * that creates them and nowhere else.
 */
import { Type, type Static } from '@sinclair/typebox';

const enc = encodeURIComponent;

/** Paths of the admin API, for clients. */
export const ADMIN_PATHS = {
  organizations: '/api/admin/organizations',
  applications: (organizationId: string): string => `/api/admin/organizations/${enc(organizationId)}/applications`,
  rotateSecret: (organizationId: string): string => `/api/admin/organizations/${enc(organizationId)}/secret`,
  applicationKeys: (organizationId: string, applicationId: string): string =>
    `/api/admin/organizations/${enc(organizationId)}/applications/${enc(applicationId)}/keys`,
  applicationKey: (organizationId: string, applicationId: string, keyId: string): string =>
    `/api/admin/organizations/${enc(organizationId)}/applications/${enc(applicationId)}/keys/${enc(keyId)}`,
  hooks: (organizationId: string, applicationId: string): string =>
    `/api/admin/organizations/${enc(organizationId)}/applications/${enc(applicationId)}/hooks`,
  hook: (hookId: string): string => `/api/admin/hooks/${enc(hookId)}`,
} as const;

/** The same paths as Fastify route patterns, for the server. */
export const ADMIN_ROUTES = {
  organizations: ADMIN_PATHS.organizations,
  applications: '/api/admin/organizations/:organizationId/applications',
  rotateSecret: '/api/admin/organizations/:organizationId/secret',
  applicationKeys: '/api/admin/organizations/:organizationId/applications/:applicationId/keys',
  applicationKey: '/api/admin/organizations/:organizationId/applications/:applicationId/keys/:keyId',
  hooks: '/api/admin/organizations/:organizationId/applications/:applicationId/hooks',
  hook: '/api/admin/hooks/:hookId',
} as const;

/** Longest grace period of a rotated secret: 30 days, in seconds. */
export const MAX_SECRET_GRACE_SECONDS = 30 * 24 * 3600;
/** Default grace period of a rotated secret: 24 hours, in seconds. */
export const DEFAULT_SECRET_GRACE_SECONDS = 24 * 3600;

const id = (description: string) => Type.String({ minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x39\\x3b-\\x7e]+$', description });
const name = (description: string) => Type.String({ minLength: 1, maxLength: 256, description });

/** Body of `POST /api/admin/organizations`. */
export const CreateOrganizationRequestSchema = Type.Object(
  {
    name: name('Display name of the organization.'),
    id: Type.Optional(id('Organization id (the Basic-auth user name); generated when absent. Printable ASCII without ":" or spaces.')),
    applicationName: Type.Optional(name('Also create a first application with this name.')),
  },
  { additionalProperties: false, title: 'CreateOrganizationRequest' },
);
export type CreateOrganizationRequest = Static<typeof CreateOrganizationRequestSchema>;

/** An organization as the admin API shows it (never its secret). */
export const OrganizationSummarySchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    createdAt: Type.String({ description: 'ISO-8601.' }),
    previousSecretValidUntil: Type.Union([Type.String(), Type.Null()], { description: 'Until when the secret before the last rotation is still accepted, or null.' }),
  },
  { title: 'OrganizationSummary' },
);
export type OrganizationSummary = Static<typeof OrganizationSummarySchema>;

/** An application as the admin API shows it. */
export const AdminApplicationSchema = Type.Object(
  { id: Type.String(), organizationId: Type.String(), name: Type.String(), createdAt: Type.String() },
  { title: 'AdminApplication' },
);
export type AdminApplication = Static<typeof AdminApplicationSchema>;

/** Reply of `POST /api/admin/organizations`: the secret, shown this once. */
export const CreatedOrganizationSchema = Type.Object(
  {
    organization: OrganizationSummarySchema,
    apiSecret: Type.String({ description: 'The organization secret. Shown only in this reply.' }),
    application: Type.Union([AdminApplicationSchema, Type.Null()]),
  },
  { title: 'CreatedOrganization' },
);
export type CreatedOrganization = Static<typeof CreatedOrganizationSchema>;

/** Reply of `GET /api/admin/organizations`. */
export const OrganizationsResponseSchema = Type.Object({ organizations: Type.Array(OrganizationSummarySchema) }, { title: 'OrganizationsResponse' });
export type OrganizationsResponse = Static<typeof OrganizationsResponseSchema>;

/** Body of `POST /api/admin/organizations/{organizationId}/applications`. */
export const CreateApplicationRequestSchema = Type.Object(
  {
    name: name('Display name of the application.'),
    id: Type.Optional(id('Application id (the Application-Id header); generated when absent.')),
  },
  { additionalProperties: false, title: 'CreateApplicationRequest' },
);
export type CreateApplicationRequest = Static<typeof CreateApplicationRequestSchema>;

/** Reply of `GET /api/admin/organizations/{organizationId}/applications`. */
export const AdminApplicationsResponseSchema = Type.Object({ applications: Type.Array(AdminApplicationSchema) }, { title: 'AdminApplicationsResponse' });
export type AdminApplicationsResponse = Static<typeof AdminApplicationsResponseSchema>;

/** Body of `POST /api/admin/organizations/{organizationId}/secret` (rotate). */
export const RotateSecretRequestSchema = Type.Object(
  {
    graceSeconds: Type.Optional(
      Type.Integer({ minimum: 0, maximum: MAX_SECRET_GRACE_SECONDS, description: `How long the old secret stays valid (default ${DEFAULT_SECRET_GRACE_SECONDS} s = 24 h).` }),
    ),
  },
  { additionalProperties: false, title: 'RotateSecretRequest' },
);
export type RotateSecretRequest = Static<typeof RotateSecretRequestSchema>;

/** Reply of a rotation: the new secret, shown this once. */
export const RotatedSecretSchema = Type.Object(
  {
    apiSecret: Type.String({ description: 'The new organization secret. Shown only in this reply.' }),
    previousSecretValidUntil: Type.String({ description: 'Until when the old secret is still accepted (ISO-8601).' }),
  },
  { title: 'RotatedSecret' },
);
export type RotatedSecret = Static<typeof RotatedSecretSchema>;

/** A per-application API key as listed (never the key itself). */
export const ApplicationKeySummarySchema = Type.Object(
  { id: Type.String(), applicationId: Type.String(), createdAt: Type.String() },
  { title: 'ApplicationKeySummary' },
);
export type ApplicationKeySummary = Static<typeof ApplicationKeySummarySchema>;

/** Reply of creating an application key: the key, shown this once. */
export const CreatedApplicationKeySchema = Type.Object(
  {
    key: ApplicationKeySummarySchema,
    apiKey: Type.String({ description: 'Use as the password of HTTP Basic organizationId:apiKey, for this application only. Shown only in this reply.' }),
  },
  { title: 'CreatedApplicationKey' },
);
export type CreatedApplicationKey = Static<typeof CreatedApplicationKeySchema>;

/** Reply of listing an application's keys. */
export const ApplicationKeysResponseSchema = Type.Object({ keys: Type.Array(ApplicationKeySummarySchema) }, { title: 'ApplicationKeysResponse' });
export type ApplicationKeysResponse = Static<typeof ApplicationKeysResponseSchema>;

/** A webhook subscription as the admin API lists it (without its signing secret). */
export const AdminHookSchema = Type.Object(
  {
    id: Type.String(),
    applicationId: Type.String(),
    targetUrl: Type.String(),
    actorId: Type.Union([Type.String(), Type.Null()]),
    action: Type.Union([Type.String(), Type.Null()]),
    entityType: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String(),
  },
  { title: 'AdminHook' },
);
export type AdminHook = Static<typeof AdminHookSchema>;

/** Reply of listing an application's webhook subscriptions. */
export const AdminHooksResponseSchema = Type.Object({ hooks: Type.Array(AdminHookSchema) }, { title: 'AdminHooksResponse' });
export type AdminHooksResponse = Static<typeof AdminHooksResponseSchema>;

/** Path parameters of the admin routes. */
export const AdminParamsSchema = Type.Object({
  organizationId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  applicationId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  keyId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  hookId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});
export type AdminParams = Static<typeof AdminParamsSchema>;

/** The admin API's shapes, for the OpenAPI document's components. */
export const ADMIN_SCHEMAS = {
  CreateOrganizationRequest: CreateOrganizationRequestSchema,
  OrganizationSummary: OrganizationSummarySchema,
  AdminApplication: AdminApplicationSchema,
  CreatedOrganization: CreatedOrganizationSchema,
  OrganizationsResponse: OrganizationsResponseSchema,
  CreateApplicationRequest: CreateApplicationRequestSchema,
  AdminApplicationsResponse: AdminApplicationsResponseSchema,
  RotateSecretRequest: RotateSecretRequestSchema,
  RotatedSecret: RotatedSecretSchema,
  ApplicationKeySummary: ApplicationKeySummarySchema,
  CreatedApplicationKey: CreatedApplicationKeySchema,
  ApplicationKeysResponse: ApplicationKeysResponseSchema,
  AdminHook: AdminHookSchema,
  AdminHooksResponse: AdminHooksResponseSchema,
} as const;
