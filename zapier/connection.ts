/**
 * Reads the connection (`bundle.authData`) the user entered in `authentication.ts` into the SDK's `Credentials`
 * and a normalised base URL. Every operation and the middleware go through here, so the rules live once.
 */
import type { Bundle, ZObject } from 'zapier-platform-core';
import type { Credentials } from '@audit-trail/sdk/contract';
import { isBaseUrlProblem, normalizeBaseUrl } from './base-url.js';

/** The connection's fields, as `authentication.ts` declares them. */
export const AUTH_FIELD_KEYS = ['baseUrl', 'organizationId', 'apiSecret', 'applicationId'] as const;

/** The base URL of the connection; throws a `z.errors.Error` the user can act on when it is unusable. */
export function baseUrlOf(z: ZObject, bundle: Pick<Bundle, 'authData'>): string {
  const result = normalizeBaseUrl(bundle.authData['baseUrl']);
  if (isBaseUrlProblem(result)) throw new z.errors.Error(result.problem, 'InvalidBaseUrl', 400);
  return result;
}

/** The connection's credentials, or `undefined` when any part is missing (e.g. before the user connected). */
export function credentialsOf(authData: Bundle['authData']): Credentials | undefined {
  const organizationId = authData['organizationId']?.trim();
  const apiSecret = authData['apiSecret'];
  const applicationId = authData['applicationId']?.trim();
  if (!organizationId || !apiSecret || !applicationId) return undefined;
  return { organizationId, apiSecret, applicationId };
}
