import type { InferInputData, PollingTriggerPerform } from 'zapier-platform-core';
import { defineInputFields, defineTrigger } from '../zapier/define.js';
import { PATHS, type VerifyResult } from '@audit-trail/sdk/contract';
import { getJson, hasProperties } from '../zapier/api.js';
import { chainAlert, type ChainAlert } from '../zapier/chain-alert.js';
import { applicationField } from '../zapier/common-fields.js';
import { applicationOverride, targetApplication } from '../zapier/target-application.js';
import sample from '../samples/integrity_alert.json';

const inputFields = defineInputFields([applicationField]);

/** Verifies the whole chain; one alert per break (stable id), none while it is intact. */
export const perform = (async (z, bundle) => {
  const applicationId = targetApplication(z, bundle, bundle.inputData);
  const result = await getJson<VerifyResult>(z, bundle, PATHS.verifyChain, {
    applicationId: applicationOverride(bundle.inputData),
    isExpected: hasProperties<VerifyResult>({ valid: 'boolean', checked: 'number' }),
  });
  const alert = chainAlert(applicationId, result);
  return alert ? [alert] : [];
}) satisfies PollingTriggerPerform<InferInputData<typeof inputFields>, ChainAlert>;

export default defineTrigger({
  key: 'integrity_alert',
  noun: 'Integrity Alert',
  display: {
    label: 'Audit Trail Integrity Failed',
    description:
      "Triggers when verification finds the audit trail's hash chain broken (an entry changed, removed or reordered), once per break.",
  },
  operation: {
    type: 'polling',
    inputFields,
    perform,
    sample,
    outputFields: [
      { key: 'id', label: 'Alert ID', type: 'string', required: true },
      { key: 'applicationId', label: 'Application ID', type: 'string', required: true },
      { key: 'firstBadSequence', label: 'First Bad Sequence Number', type: 'integer', required: true },
      { key: 'firstBadEntryId', label: 'First Bad Entry ID', type: 'string' },
      { key: 'reason', label: 'Reason Code', type: 'string', required: true },
      { key: 'checked', label: 'Entries Verified Before the Break', type: 'integer' },
      { key: 'message', label: 'Message', type: 'string', required: true },
      { key: 'detectedAt', label: 'Detected At', type: 'datetime' },
    ],
  },
});
