import type { PollingTriggerPerform } from 'zapier-platform-core';
import { defineTrigger } from '../zapier/define.js';
import { PATHS, type ActionsResponse } from '@audit-trail/sdk/contract';
import { getJson } from '../zapier/api.js';
import { RECENT_ACTION_LIST_KEY } from '../zapier/common-fields.js';

/** One dropdown choice per action recently recorded in the connection's application, most recent first. */
export const perform = (async (z, bundle) => {
  const { actions } = await getJson<ActionsResponse>(z, bundle, PATHS.actions);
  return actions.map((summary) => ({
    id: summary.action,
    action: summary.action,
    count: summary.count,
    lastRecordedAt: summary.lastRecordedAt,
  }));
}) satisfies PollingTriggerPerform<Record<string, never>, { id: string; action: string; count: number; lastRecordedAt: string }>;

export default defineTrigger({
  key: RECENT_ACTION_LIST_KEY,
  noun: 'Action',
  display: {
    label: 'New Action',
    description: 'Triggers when a new kind of action is recorded (used for the Action dropdown).',
    hidden: true,
  },
  operation: { type: 'polling', perform, canPaginate: false },
});
