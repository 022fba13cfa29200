import type { CreatePerform, InferInputData } from 'zapier-platform-core';
import { defineCreate, defineInputFields } from '../zapier/define.js';
import { buildLogRequest, type Receipt } from '@audit-trail/sdk/contract';
import { hasProperties, sendWire } from '../zapier/api.js';
import { actionDropdown, applicationField } from '../zapier/common-fields.js';
import { detailsPairsField, entryField } from '../zapier/entry-fields.js';
import { isInputProblem, serializeInput } from '../zapier/entry-input.js';
import { ENTRY_OUTPUT_FIELDS } from '../zapier/entry-output.js';
import { loggedEntry } from '../zapier/logged-entry.js';
import { applicationOverride, targetApplication } from '../zapier/target-application.js';
import sample from '../samples/stored_entry.json';

const inputFields = defineInputFields([
  entryField('actorId', { required: true }),
  entryField('action', { required: true, ...actionDropdown }),
  entryField('details', { type: 'text', required: false }),
  detailsPairsField,
  entryField('actorDisplayName', { required: false }),
  entryField('actorRoles', { list: true, required: false }),
  entryField('entityType', { required: false }),
  entryField('entityId', { required: false }),
  entryField('occurredAt', { type: 'datetime', required: false }),
  entryField('ip', { required: false }),
  entryField('idempotencyKey', { required: false }),
  applicationField,
]);

/** What `POST /api/log/...` answers; anything else means the API Base URL is not this service. */
export const isReceipt = hasProperties<Receipt>({ logEntryId: 'string', sequence: 'number', hash: 'string' });

/**
 * Validates the entry (no request is made for a bad one), records it and returns it as stored. A repeated
 * Idempotency Key returns the entry stored the first time (the service answers with its receipt).
 */
export const perform = (async (z, bundle) => {
  const serialized = serializeInput(bundle.inputData);
  if (isInputProblem(serialized)) throw new z.errors.Error(serialized.problem, serialized.code, 400);
  targetApplication(z, bundle, bundle.inputData);
  const applicationId = applicationOverride(bundle.inputData);
  const receipt = await sendWire<Receipt>(z, bundle, buildLogRequest(serialized.entry), { applicationId, isExpected: isReceipt });
  return loggedEntry(z, bundle, receipt, applicationId);
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
    outputFields: ENTRY_OUTPUT_FIELDS,
  },
});
