/**
 * The connection: where the audit-trail service is and which organization/application the Zap writes to.
 * `custom` rather than `basic` auth because the service needs two more values than a user name and password
 * (the base URL and the `Application-Id`); middleware.ts builds the Basic header with the SDK's `authHeaders`.
 */
import type { Authentication, Bundle, ZObject } from 'zapier-platform-core';
import { PATHS, type AuthCheckResponse } from '@audit-trail/sdk/contract';
import { getJson } from './zapier/api.js';

/** Checks the credentials with the service's cheapest authenticated call and returns who they belong to. */
export const testAuth = async (z: ZObject, bundle: Bundle): Promise<AuthCheckResponse> => {
  try {
    return await getJson<AuthCheckResponse>(z, bundle, PATHS.authCheck);
  } catch (error) {
    // While connecting there are no Zaps to pause: show the same message as an ordinary error.
    if (error instanceof Error && error.name === 'ExpiredAuthError') {
      throw new z.errors.Error(error.message, 'AuthenticationError', 401);
    }
    throw error;
  }
};

export default {
  type: 'custom',
  fields: [
    {
      key: 'baseUrl',
      label: 'API Base URL',
      type: 'string',
      required: true,
      helpText:
        'The address of your audit-trail service: the hosted service, your self-hosted server, or the local reference server (`http://127.0.0.1:8080`). Use http:// or https:// and no path after the host unless your server is mounted below one.',
    },
    {
      key: 'organizationId',
      label: 'Organization ID',
      type: 'string',
      required: true,
      helpText:
        "Your organization's identifier on the audit-trail service. The reference server prints it on its first start; on a hosted service it is under Organization settings › API credentials.",
    },
    {
      key: 'apiSecret',
      label: 'API Secret',
      type: 'password',
      required: true,
      helpText:
        "The organization's API secret, shown next to the Organization ID (the reference server prints it once, on its first start). Treat it like a password.",
    },
    {
      key: 'applicationId',
      label: 'Application ID',
      type: 'string',
      required: true,
      helpText:
        'The application whose audit trail this connection writes to and reads from. The reference server prints the default one on its first start; each application has its own hash chain.',
    },
  ],
  test: testAuth,
  connectionLabel: '{{organizationName}} / {{applicationName}}',
} satisfies Authentication;
