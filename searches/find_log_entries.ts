import type { InferInputData, SearchPerform } from 'zapier-platform-core';
import { defineInputFields, defineSearch } from '../zapier/define.js';
import { LIMITS, listQueryIssue, type ListQuery } from '@audit-trail/sdk/contract';
import { actionFilter, actorFilter, applicationField, entityIdFilter, entityTypeFilter } from '../zapier/common-fields.js';
import { entryField } from '../zapier/entry-fields.js';
import { ENTRY_OUTPUT_FIELDS, type EntryOutput } from '../zapier/entry-output.js';
import { filtersOf, listEntryOutputs } from '../zapier/list-entries.js';
import { NO_SEARCH_CRITERION_MESSAGE, notADateMessage, searchCriterionMessage } from '../zapier/messages.js';
import { applicationOverride } from '../zapier/target-application.js';
import sample from '../samples/stored_entry.json';

/** Matches returned when Zapier does not ask for a number (the first one is what most Zaps use). */
export const SEARCH_SIZE = 25;

const inputFields = defineInputFields([
  actorFilter,
  actionFilter,
  entityTypeFilter,
  entityIdFilter,
  {
    ...entryField('idempotencyKey', { required: false }),
    helpText:
      'Only the entry recorded with exactly this Idempotency Key. In a "Find or Log Entry" step, use the same key as in the Log Entry step so the entry is recorded once.',
  },
  {
    key: 'from',
    label: 'Recorded After',
    type: 'datetime',
    required: false,
    helpText: 'Only entries the service recorded at or after this date and time.',
  },
  {
    key: 'to',
    label: 'Recorded Before',
    type: 'datetime',
    required: false,
    helpText: 'Only entries the service recorded before this date and time.',
  },
  applicationField,
]);

/**
 * A date the user typed or mapped, as the ISO-8601 date-time the contract's list query needs (Zapier's datetime
 * fields may carry other formats), or a user-facing error for text that is not a date.
 */
function isoOrThrow(z: Parameters<typeof perform>[0], label: string, value: string | undefined): string | undefined {
  if (!value?.trim()) return undefined;
  const time = Date.parse(value.trim());
  if (Number.isNaN(time)) throw new z.errors.Error(notADateMessage(label, value), 'invalid_field', 400);
  return new Date(time).toISOString();
}

/** The newest entries matching every given criterion; at least one criterion is needed. */
export const perform = (async (z, bundle) => {
  const input = bundle.inputData;
  const query: ListQuery = {
    ...filtersOf(input),
    entityId: input.entityId?.trim() || undefined,
    idempotencyKey: input.idempotencyKey?.trim() || undefined,
    from: isoOrThrow(z, 'Recorded After', input.from),
    to: isoOrThrow(z, 'Recorded Before', input.to),
  };
  // A search without criteria would always "find" the newest entry, so a Find-or-Log step would never log.
  if (Object.values(query).every((value) => value === undefined)) {
    throw new z.errors.Error(NO_SEARCH_CRITERION_MESSAGE, 'missing_field', 400);
  }
  const limit = bundle.meta?.limit;
  query.limit = typeof limit === 'number' && limit > 0 ? Math.min(limit, LIMITS.pageSize) : SEARCH_SIZE;
  // The contract's own check of the query (lengths, ...), so a bad criterion is explained here, not by a 400.
  const issue = listQueryIssue(query);
  if (issue) throw new z.errors.Error(searchCriterionMessage(issue.message), issue.code, 400);
  return listEntryOutputs(z, bundle, query, applicationOverride(input));
}) satisfies SearchPerform<InferInputData<typeof inputFields>, EntryOutput>;

export default defineSearch({
  key: 'find_log_entries',
  noun: 'Log Entry',
  display: {
    label: 'Find Log Entries',
    description: 'Finds audit trail entries by actor, action, entity, idempotency key or time range, newest first.',
  },
  operation: {
    inputFields,
    perform,
    sample,
    outputFields: ENTRY_OUTPUT_FIELDS,
  },
});
