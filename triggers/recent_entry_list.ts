import type { PollingTriggerPerform } from 'zapier-platform-core';
import { defineTrigger } from '../zapier/define.js';
import { LIMITS } from '@audit-trail/sdk/contract';
import { RECENT_ENTRY_LIST_KEY } from '../zapier/common-fields.js';
import { listEntries } from '../zapier/list-entries.js';

/** Entries per dropdown page. */
export const DROPDOWN_PAGE_SIZE = 50;

/** One dropdown choice per recent entry of the connection's application, newest first: "#42 REFUND_ISSUED by ada". */
export const perform = (async (z, bundle) => {
  const page = typeof bundle.meta?.page === 'number' && bundle.meta.page > 0 ? bundle.meta.page : 0;
  // The API pages by cursor; a dropdown pages by number. Entries are numbered by sequence, so page n of the
  // newest-first list is reached by asking for enough entries and skipping: the dropdown only ever shows a few pages.
  const limit = Math.min(DROPDOWN_PAGE_SIZE * (page + 1), LIMITS.pageSize);
  const entries = (await listEntries(z, bundle, { limit })).slice(DROPDOWN_PAGE_SIZE * page);
  return entries.map((entry) => ({ id: entry.id, label: `#${entry.sequence} ${entry.action} by ${entry.actorId}` }));
}) satisfies PollingTriggerPerform<Record<string, never>, { id: string; label: string }>;

export default defineTrigger({
  key: RECENT_ENTRY_LIST_KEY,
  noun: 'Log Entry',
  display: {
    label: 'New Entry for Dropdown',
    description: 'Triggers when a new entry is recorded (used for the Entry ID dropdown).',
    hidden: true,
  },
  operation: { type: 'polling', perform, canPaginate: true },
});
