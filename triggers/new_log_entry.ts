import type { InferInputData, PollingTriggerPerform } from 'zapier-platform-core';
import { defineInputFields, defineTrigger } from '../zapier/define.js';
import { actionFilter, actorFilter, applicationField, entityIdFilter, entityTypeFilter } from '../zapier/common-fields.js';
import { ENTRY_OUTPUT_FIELDS, type EntryOutput } from '../zapier/entry-output.js';
import { filtersOf, listEntryOutputs, pollSize } from '../zapier/list-entries.js';
import { applicationOverride } from '../zapier/target-application.js';
import sample from '../samples/stored_entry.json';

const inputFields = defineInputFields([actorFilter, actionFilter, entityTypeFilter, entityIdFilter, applicationField]);

/** The newest matching entries, newest first; Zapier dedupes on the entry `id`. */
export const perform = (async (z, bundle) =>
  listEntryOutputs(
    z,
    bundle,
    { ...filtersOf(bundle.inputData), limit: pollSize(bundle.meta) },
    applicationOverride(bundle.inputData),
  )) satisfies PollingTriggerPerform<InferInputData<typeof inputFields>, EntryOutput>;

export default defineTrigger({
  key: 'new_log_entry',
  noun: 'Log Entry',
  display: {
    label: 'New Log Entry',
    description:
      'Triggers when a new entry is recorded in the audit trail, optionally only for one actor, action, entity type or entity.',
  },
  operation: {
    type: 'polling',
    inputFields,
    perform,
    sample,
    outputFields: ENTRY_OUTPUT_FIELDS,
  },
});
