import { defineInputFields, defineTrigger, type InferInputData, type PollingTriggerPerform } from 'zapier-platform-core';
import type { StoredEntry } from '@audit-trail/sdk/contract';
import { actionFilter, actorFilter, applicationField, entityTypeFilter } from '../zapier/common-fields.js';
import { STORED_ENTRY_OUTPUT_FIELDS } from '../zapier/entry-output.js';
import { filtersOf, listEntries, pollSize } from '../zapier/list-entries.js';
import { applicationOverride } from '../zapier/target-application.js';
import sample from '../samples/stored_entry.json';

const inputFields = defineInputFields([actorFilter, actionFilter, entityTypeFilter, applicationField]);

/** The newest matching entries, newest first; Zapier dedupes on the entry `id`. */
export const perform = (async (z, bundle) =>
  listEntries(
    z,
    bundle,
    { ...filtersOf(bundle.inputData), limit: pollSize(bundle.meta) },
    applicationOverride(bundle.inputData),
  )) satisfies PollingTriggerPerform<InferInputData<typeof inputFields>, StoredEntry>;

export default defineTrigger({
  key: 'new_log_entry',
  noun: 'Log Entry',
  display: {
    label: 'New Log Entry',
    description: 'Triggers when a new entry is recorded in the audit trail, optionally only for one actor, action or entity type.',
  },
  operation: {
    type: 'polling',
    inputFields,
    perform,
    sample,
    outputFields: STORED_ENTRY_OUTPUT_FIELDS,
  },
});
