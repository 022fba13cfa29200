/**
 * The connection: where the audit-trail service is and which organization/application the Zap writes to.
 * `custom` rather than `basic` auth because the service needs two more values than a user name and password
 * (the base URL and the `Application-Id`); middleware.ts builds the Basic header with the SDK's `authHeaders`.
 */
import type { Authentication, Bundle, ZObject } from 'zapier-platform-core';
import { PATHS, type AuthCheckResponse } from '@audit-trail/sdk/contract';
import { getJson, hasProperties } from './zapier/api.js';
import { CONNECTION_VALUES_ANCHOR, docsLink } from './zapier/docs-links.js';

const whereToFind = `[Where to find it](${docsLink(CONNECTION_VALUES_ANCHOR)})`;

/** What `GET /api/auth/check` answers; anything else means the API Base URL is not an Audit Trail service. */
const isAuthCheck = hasProperties<AuthCheckResponse>({
  organizationId: 'string',
  organizationName: 'string',
  applicationId: 'string',
  applicationName: 'string',
});

/** Checks the credentials with the service's cheapest authenticated call and returns who they belong to. */
export const testAuth = async (z: ZObject, bundle: Bundle): Promise<AuthCheckResponse> => {
  try {
    return await getJson<AuthCheckResponse>(z, bundle, PATHS.authCheck, { isExpected: isAuthCheck });
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
      helpText: `The address of your Audit Trail service, e.g. \`https://audit.example.com\`: the hosted service or your own server. It must start with https://; http:// is accepted only for a server on your own computer (\`http://127.0.0.1:8080\`, for local development with \`zapier-platform invoke\`), which Zapier's cloud cannot reach. ${whereToFind}.`,
    },
    {
      key: 'organizationId',
      label: 'Organization ID',
      type: 'string',
      required: true,
      helpText: `Your organization's identifier on the Audit Trail service: under Organization settings › API credentials on a hosted service; your own server prints it on its first start. ${whereToFind}.`,
    },
    {
      key: 'apiSecret',
      label: 'API Secret',
      type: 'password',
      required: true,
      helpText: `The organization's API secret, shown next to the Organization ID (your own server prints it once, on its first start, and saves it in its credentials file). Treat it like a password. ${whereToFind}.`,
    },
    {
      key: 'applicationId',
      label: 'Application ID',
      type: 'string',
      required: true,
      helpText: `The application whose audit trail this connection writes to and reads from; each application has its own hash chain. Listed with the API credentials; your own server prints the default one on its first start. ${whereToFind}.`,
    },
  ],
  test: testAuth,
  connectionLabel: '{{organizationName}} / {{applicationName}}',
} satisfies Authentication;
