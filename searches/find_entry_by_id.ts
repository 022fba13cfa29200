import type { InferInputData, SearchPerform } from 'zapier-platform-core';
import { defineInputFields, defineSearch } from '../zapier/define.js';
import { applicationField, RECENT_ENTRY_LIST_KEY } from '../zapier/common-fields.js';
import { baseUrlOf } from '../zapier/connection.js';
import { capEntries, ENTRY_OUTPUT_FIELDS, entryOutput, type EntryOutput } from '../zapier/entry-output.js';
import { NO_ENTRY_ID_MESSAGE } from '../zapier/messages.js';
import { findStoredEntry } from '../zapier/stored-entry.js';
import { applicationOverride } from '../zapier/target-application.js';
import sample from '../samples/stored_entry.json';

const inputFields = defineInputFields([
  {
    key: 'entryId',
    label: 'Entry ID',
    required: true,
    dynamic: `${RECENT_ENTRY_LIST_KEY}.id.label`,
    helpText:
      'The Entry ID of a logged entry: map it from Log Entry, New Log Entry or Find Log Entries, or pick a recent entry, e.g. `3f2c9a4e-8b1d-4c6f-9e2a-7d5b1c0e4f8a`.',
  },
  applicationField,
]);

/** The entry with this id, or no result when the application has none (so a later step can branch on it). */
export const perform = (async (z, bundle) => {
  const entryId = bundle.inputData.entryId?.trim();
  if (!entryId) throw new z.errors.Error(NO_ENTRY_ID_MESSAGE, 'missing_field', 400);
  const stored = await findStoredEntry(z, bundle, entryId, applicationOverride(bundle.inputData));
  return stored ? capEntries([entryOutput(stored, baseUrlOf(z, bundle))]) : [];
}) satisfies SearchPerform<InferInputData<typeof inputFields>, EntryOutput>;

export default defineSearch({
  key: 'find_entry_by_id',
  noun: 'Log Entry',
  display: {
    label: 'Find Entry by ID',
    description: 'Finds one audit trail entry by its Entry ID, as the service stored it.',
  },
  operation: {
    inputFields,
    perform,
    sample,
    outputFields: ENTRY_OUTPUT_FIELDS,
  },
});
