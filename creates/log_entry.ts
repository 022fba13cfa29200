import { defineCreate, defineInputFields, type CreatePerform, type InferInputData } from 'zapier-platform-core';
import type { Receipt } from '@audit-trail/sdk/contract';
import { isValidationIssue, serializeEntry } from '@audit-trail/sdk/contract';
import { buildLogRequest } from '@audit-trail/sdk/contract';
import { sendWire } from '../zapier/api.js';
import { actionDropdown, applicationField } from '../zapier/common-fields.js';
import { entryField, withFieldLabels } from '../zapier/entry-fields.js';
import { entryFromInput } from '../zapier/entry-input.js';
import { LOGGED_ENTRY_OUTPUT_FIELDS } from '../zapier/entry-output.js';
import { loggedEntry } from '../zapier/logged-entry.js';
import { applicationOverride, targetApplication } from '../zapier/target-application.js';
import sample from '../samples/log_entry.json';

const inputFields = defineInputFields([
  entryField('actorId', { required: true }),
  entryField('action', { required: true, ...actionDropdown }),
  entryField('details', { type: 'text', required: false }),
  entryField('actorDisplayName', { required: false }),
  entryField('actorRoles', { list: true, required: false }),
  entryField('entityType', { required: false }),
  entryField('entityId', { required: false }),
  entryField('occurredAt', { type: 'datetime', required: false }),
  entryField('ip', { required: false }),
  entryField('idempotencyKey', { required: false }),
  applicationField,
]);

/** Validates the entry (no request is made for a bad one), records it and returns receipt + entry. */
export const perform = (async (z, bundle) => {
  const serialized = serializeEntry(entryFromInput(bundle.inputData));
  if (isValidationIssue(serialized)) {
    throw new z.errors.Error(`Cannot log this entry: ${withFieldLabels(serialized.message)}.`, serialized.code, 400);
  }
  const applicationId = targetApplication(z, bundle, bundle.inputData);
  const receipt = await sendWire<Receipt>(z, bundle, buildLogRequest(serialized.entry), {
    applicationId: applicationOverride(bundle.inputData),
  });
  return loggedEntry(receipt, serialized.entry, applicationId);
}) satisfies CreatePerform<InferInputData<typeof inputFields>>;

export default defineCreate({
  key: 'log_entry',
  noun: 'Log Entry',
  display: {
    label: 'Log Entry',
    description: 'Logs an entry in a tamper-evident audit trail: who did what, to which entity, and when.',
  },
  operation: {
    inputFields,
    perform,
    sample,
    outputFields: LOGGED_ENTRY_OUTPUT_FIELDS,
  },
});
