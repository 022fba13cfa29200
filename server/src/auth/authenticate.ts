/**
 * The `onRequest` hook of every /api route: HTTP Basic `organizationId:apiSecret`, then the `Application-Id`
 * header must name an application of that organization (routes with `config.organizationOnly` skip that part).
 * It runs before the body is read, so an unauthenticated client cannot make the server parse a large body.
 */
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { HEADERS } from '@audit-trail/sdk/contract';
import { parseBasicAuthorization } from './basic-authorization.js';
import { ApiError } from '../errors.js';
import type { ApplicationRecord, OrganizationRecord } from '../store/repositories.js';
import type { TenantLookups } from './tenant-cache.js';
import type { CredentialVerifier, VerifiedCaller } from './credential-verifier.js';
import type { FailedAuthLimiter } from './failed-auth-limiter.js';

/** Who is calling, set by {@link authenticate}. */
export interface Caller {
  organization: OrganizationRecord;
  /** `null` only on routes with `config.organizationOnly`. */
  application: ApplicationRecord | null;
  /** Set when the caller used an application key: the one application it may see. */
  keyApplicationId: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller (set on every /api route). */
    caller: Caller | null;
  }
  interface FastifyContextConfig {
    /** The route needs only the organization, no `Application-Id`. */
    organizationOnly?: boolean;
  }
}

/** The `WWW-Authenticate` challenge sent with every 401. */
export const AUTH_CHALLENGE = 'Basic realm="audit-trail", charset="UTF-8"';

const APPLICATION_HEADER = HEADERS.applicationId.toLowerCase();

/** Builds the authentication hook. */
export function authenticate(verifier: CredentialVerifier, tenants: TenantLookups, limiter: FailedAuthLimiter): onRequestAsyncHookHandler {
  return async function checkCredentials(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const credentials = parseBasicAuthorization(request.headers.authorization);
    let verified: VerifiedCaller | undefined;
    if (credentials) {
      // A secret verified before costs no scrypt and is never limited; any other attempt is limited per client
      // address and per organization, and counted when it fails.
      verified = await verifier.verifyRemembered(credentials.organizationId, credentials.apiSecret);
      if (!verified) {
        await limiter.check(request, reply);
        verified = await verifier.verify(credentials.organizationId, credentials.apiSecret);
        if (!verified) await limiter.recordFailure(request);
      }
    }
    if (!verified) {
      reply.header('www-authenticate', AUTH_CHALLENGE);
      throw new ApiError('unauthorized');
    }
    const { organization, keyApplicationId } = verified;
    if (request.routeOptions.config.organizationOnly) {
      request.caller = { organization, application: null, keyApplicationId };
      return;
    }
    const header = request.headers[APPLICATION_HEADER];
    const applicationId = Array.isArray(header) ? header[0] : header;
    if (!applicationId) throw new ApiError('unknown_application', `The ${HEADERS.applicationId} header is required`);
    // An application key works for its own application only.
    if (keyApplicationId !== null && keyApplicationId !== applicationId) {
      throw new ApiError('unknown_application', 'This API key belongs to another application');
    }
    const application = await tenants.findApplication(organization.id, applicationId);
    if (!application) throw new ApiError('unknown_application');
    request.caller = { organization, application, keyApplicationId };
  };
}

/** The caller's application; only call it on routes behind {@link authenticate} without `organizationOnly`. */
export function callerApplication(request: FastifyRequest): ApplicationRecord {
  const application = request.caller?.application;
  if (!application) throw new Error('route is not behind the application check');
  return application;
}
