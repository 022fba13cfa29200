/**
 * The admin API (`/api/admin/...`, see sdk/src/contract/admin.ts): organizations, applications, secret rotation,
 * per-application API keys, webhook subscriptions. Registered only when the server has an admin token; its own
 * onRequest hook checks that token, and the tenant authentication does not apply here. A secret or key is in the
 * reply that creates it and in no other reply or log line.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import {
  ADMIN_ROUTES,
  CreateApplicationRequestSchema,
  CreateOrganizationRequestSchema,
  DEFAULT_SECRET_GRACE_SECONDS,
  RotateSecretRequestSchema,
  type AdminApplication,
  type AdminHooksResponse,
  type AdminParams,
  type ApplicationKeysResponse,
  type CreateApplicationRequest,
  type CreateOrganizationRequest,
  type CreatedApplicationKey,
  type CreatedOrganization,
  type OrganizationSummary,
  type OrganizationsResponse,
  type RotateSecretRequest,
  type RotatedSecret,
} from '../admin-contract.js';
import { authenticateAdmin } from '../auth/admin-token.js';
import { generateApplicationKey, generateSecret, hashSecret } from '../auth/secrets.js';
import type { ServerContext } from '../context.js';
import { ApiError } from '../errors.js';
import type { ApplicationRecord, OrganizationRecord, Store } from '../store/repositories.js';

/** Options of {@link registerAdminRoutes}. */
export interface AdminRouteOptions {
  token: string;
  failuresPerAddress: number;
  windowMs: number;
}

const summary = (organization: OrganizationRecord, now = Date.now()): OrganizationSummary => {
  const until = organization.previousSecret?.validUntil;
  return {
    id: organization.id,
    name: organization.name,
    createdAt: organization.createdAt,
    previousSecretValidUntil: until !== undefined && Date.parse(until) > now ? until : null,
  };
};

const application = ({ id, organizationId, name, createdAt }: ApplicationRecord): AdminApplication => ({ id, organizationId, name, createdAt });

async function organizationOf(store: Store, id: string | undefined): Promise<OrganizationRecord> {
  const organization = id === undefined ? undefined : await store.tenants.findOrganization(id);
  if (!organization) throw new ApiError('not_found', `No organization ${id}`);
  return organization;
}

async function applicationOf(store: Store, organizationId: string | undefined, applicationId: string | undefined): Promise<ApplicationRecord> {
  const organization = await organizationOf(store, organizationId);
  const found = applicationId === undefined ? undefined : await store.tenants.findApplication(organization.id, applicationId);
  if (!found) throw new ApiError('not_found', `No application ${applicationId} in organization ${organization.id}`);
  return found;
}

/** Inserts an application, turning a duplicate id into 409 `conflict`. */
async function insertApplication(store: Store, record: ApplicationRecord): Promise<void> {
  try {
    await store.tenants.insertApplication(record);
  } catch (error) {
    if ((await store.tenants.findApplication(record.organizationId, record.id)) || /UNIQUE|unique|duplicate/.test(String(error))) {
      throw new ApiError('conflict', `An application ${record.id} already exists`);
    }
    throw error;
  }
}

export function registerAdminRoutes(app: FastifyInstance, { store, dispatcher }: ServerContext, options: AdminRouteOptions): void {
  app.addHook('onRequest', authenticateAdmin(app, options.token, options.failuresPerAddress, options.windowMs));

  app.post<{ Body: CreateOrganizationRequest }>(ADMIN_ROUTES.organizations, { schema: { body: CreateOrganizationRequestSchema } }, async (request, reply) => {
    const id = request.body.id ?? `org_${randomUUID()}`;
    if (await store.tenants.findOrganization(id)) throw new ApiError('conflict', `An organization ${id} already exists`, 'id');
    const apiSecret = generateSecret();
    const { salt, hash } = await hashSecret(apiSecret);
    const createdAt = new Date().toISOString();
    const organization: OrganizationRecord = { id, name: request.body.name, secretSalt: salt, secretHash: hash, createdAt, previousSecret: null };
    let first: ApplicationRecord | null = null;
    await store.transaction(async (tx) => {
      await tx.tenants.insertOrganization(organization);
      if (request.body.applicationName !== undefined) {
        first = { id: `app_${randomUUID()}`, organizationId: id, name: request.body.applicationName, createdAt };
        await tx.tenants.insertApplication(first);
      }
    });
    const created: CreatedOrganization = { organization: summary(organization), apiSecret, application: first && application(first) };
    return reply.code(201).send(created);
  });

  app.get(ADMIN_ROUTES.organizations, async (): Promise<OrganizationsResponse> => {
    const now = Date.now();
    return { organizations: (await store.tenants.listOrganizations()).map((organization) => summary(organization, now)) };
  });

  app.post<{ Params: AdminParams; Body: CreateApplicationRequest }>(
    ADMIN_ROUTES.applications,
    { schema: { body: CreateApplicationRequestSchema } },
    async (request, reply) => {
      const organization = await organizationOf(store, request.params.organizationId);
      const record: ApplicationRecord = {
        id: request.body.id ?? `app_${randomUUID()}`,
        organizationId: organization.id,
        name: request.body.name,
        createdAt: new Date().toISOString(),
      };
      await insertApplication(store, record);
      return reply.code(201).send(application(record));
    },
  );

  app.get<{ Params: AdminParams }>(ADMIN_ROUTES.applications, async (request) => {
    const organization = await organizationOf(store, request.params.organizationId);
    return { applications: (await store.tenants.listApplications(organization.id)).map(application) };
  });

  app.post<{ Params: AdminParams; Body: RotateSecretRequest | undefined }>(
    ADMIN_ROUTES.rotateSecret,
    { schema: { body: RotateSecretRequestSchema } },
    async (request): Promise<RotatedSecret> => {
      const organization = await organizationOf(store, request.params.organizationId);
      const graceSeconds = request.body?.graceSeconds ?? DEFAULT_SECRET_GRACE_SECONDS;
      const apiSecret = generateSecret();
      const previousSecretValidUntil = new Date(Date.now() + graceSeconds * 1000).toISOString();
      await store.tenants.rotateOrganizationSecret(organization.id, await hashSecret(apiSecret), previousSecretValidUntil);
      request.log.info({ organizationId: organization.id, previousSecretValidUntil }, 'organization secret rotated');
      return { apiSecret, previousSecretValidUntil };
    },
  );

  app.post<{ Params: AdminParams }>(ADMIN_ROUTES.applicationKeys, async (request, reply) => {
    const owner = await applicationOf(store, request.params.organizationId, request.params.applicationId);
    const { id, key } = generateApplicationKey();
    const { salt, hash } = await hashSecret(key);
    const createdAt = new Date().toISOString();
    await store.tenants.insertApplicationKey({ id, applicationId: owner.id, organizationId: owner.organizationId, secretSalt: salt, secretHash: hash, createdAt });
    const created: CreatedApplicationKey = { key: { id, applicationId: owner.id, createdAt }, apiKey: key };
    return reply.code(201).send(created);
  });

  app.get<{ Params: AdminParams }>(ADMIN_ROUTES.applicationKeys, async (request): Promise<ApplicationKeysResponse> => {
    const owner = await applicationOf(store, request.params.organizationId, request.params.applicationId);
    return { keys: (await store.tenants.listApplicationKeys(owner.id)).map(({ id, applicationId, createdAt }) => ({ id, applicationId, createdAt })) };
  });

  app.delete<{ Params: AdminParams }>(ADMIN_ROUTES.applicationKey, async (request, reply) => {
    const owner = await applicationOf(store, request.params.organizationId, request.params.applicationId);
    if (!(await store.tenants.deleteApplicationKey(owner.id, request.params.keyId ?? ''))) {
      throw new ApiError('not_found', `No key ${request.params.keyId} for application ${owner.id}`);
    }
    return reply.code(204).send();
  });

  app.get<{ Params: AdminParams }>(ADMIN_ROUTES.hooks, async (request): Promise<AdminHooksResponse> => {
    const owner = await applicationOf(store, request.params.organizationId, request.params.applicationId);
    const hooks = await store.hooks.listForApplication(owner.id);
    // Without the signing secret: it was shown to the subscriber once.
    return { hooks: hooks.map(({ id, applicationId, targetUrl, actorId, action, entityType, createdAt }) => ({ id, applicationId, targetUrl, actorId, action, entityType, createdAt })) };
  });

  app.delete<{ Params: AdminParams }>(ADMIN_ROUTES.hook, async (request, reply) => {
    const hook = await store.hooks.findById(request.params.hookId ?? '');
    if (!hook || !(await store.hooks.delete(hook.applicationId, hook.id))) throw new ApiError('not_found', `No webhook subscription ${request.params.hookId}`);
    dispatcher.forget(hook.id);
    return reply.code(204).send();
  });
}
