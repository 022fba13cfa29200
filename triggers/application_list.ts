import type { PollingTriggerPerform } from 'zapier-platform-core';
import { defineTrigger } from '../zapier/define.js';
import { PATHS, type ApplicationsResponse } from '@audit-trail/sdk/contract';
import { getJson } from '../zapier/api.js';
import { APPLICATION_LIST_KEY } from '../zapier/common-fields.js';

/** One dropdown choice per application of the organization. */
export const perform = (async (z, bundle) => {
  const { applications } = await getJson<ApplicationsResponse>(z, bundle, PATHS.applications);
  return applications.map((application) => ({ id: application.id, name: application.name, createdAt: application.createdAt }));
}) satisfies PollingTriggerPerform<Record<string, never>, { id: string; name: string; createdAt: string }>;

export default defineTrigger({
  key: APPLICATION_LIST_KEY,
  noun: 'Application',
  display: {
    label: 'New Application',
    description: 'Triggers when an application is added to the organization (used for the Application dropdown).',
    hidden: true,
  },
  operation: { type: 'polling', perform, canPaginate: false },
});
