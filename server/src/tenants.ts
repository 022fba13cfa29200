/** Creating organizations and applications: for `serve`'s first start, seeding from the environment, and tests. */
import { randomUUID } from 'node:crypto';
import type { Credentials } from '@audit-trail/sdk/contract';
import { generateSecret, hashSecret, secretMatches } from './auth/secrets.js';
import type { Store } from './store/repositories.js';

/** What to create; anything left out is generated. */
export interface TenantSpec {
  organizationId?: string;
  organizationName?: string;
  apiSecret?: string;
  applicationId?: string;
  applicationName?: string;
}

function checkIds(spec: TenantSpec): void {
  if (spec.organizationId !== undefined && (spec.organizationId === '' || spec.organizationId.includes(':'))) {
    throw new TypeError('organizationId must be non-empty and must not contain ":" (it is the Basic-auth user name)');
  }
  if (spec.applicationId !== undefined && !/^[\x21-\x7e]+$/.test(spec.applicationId)) {
    throw new TypeError('applicationId must be printable ASCII without spaces (it travels in the Application-Id header)');
  }
  if (spec.apiSecret !== undefined && spec.apiSecret === '') throw new TypeError('apiSecret must not be empty');
}

/** Creates a new organization with one application and returns its credentials. */
export async function createTenant(store: Store, spec: TenantSpec = {}): Promise<Credentials> {
  checkIds(spec);
  const organizationId = spec.organizationId ?? `org_${randomUUID()}`;
  const applicationId = spec.applicationId ?? `app_${randomUUID()}`;
  const apiSecret = spec.apiSecret ?? generateSecret();
  const { salt, hash } = await hashSecret(apiSecret);
  const createdAt = new Date().toISOString();
  await store.transaction(async (tx) => {
    await tx.tenants.insertOrganization({
      id: organizationId,
      name: spec.organizationName ?? 'Default organization',
      secretSalt: salt,
      secretHash: hash,
      createdAt,
    });
    await tx.tenants.insertApplication({
      id: applicationId,
      organizationId,
      name: spec.applicationName ?? 'Default application',
      createdAt,
    });
  });
  return { organizationId, apiSecret, applicationId };
}

/**
 * Makes sure exactly these credentials work, creating what is missing. Running it again is a no-op. Fails when
 * the organization exists with another secret, or the application id belongs to another organization.
 */
export async function seedTenant(store: Store, credentials: Credentials): Promise<'created' | 'existing'> {
  checkIds(credentials);
  const organization = await store.tenants.findOrganization(credentials.organizationId);
  if (!organization) {
    await createTenant(store, credentials);
    return 'created';
  }
  if (!(await secretMatches(credentials.apiSecret, organization.secretSalt, organization.secretHash))) {
    throw new Error(`Organization ${credentials.organizationId} already exists with a different API secret`);
  }
  if (await store.tenants.findApplication(organization.id, credentials.applicationId)) return 'existing';
  try {
    await store.tenants.insertApplication({
      id: credentials.applicationId,
      organizationId: organization.id,
      name: 'Default application',
      createdAt: new Date().toISOString(),
    });
  } catch (error) {
    throw new Error(`Application ${credentials.applicationId} cannot be created (does another organization own it?)`, { cause: error });
  }
  return 'created';
}
