import type { InferInputData, PollingTriggerPerform } from 'zapier-platform-core';
import { defineInputFields, defineTrigger } from '../zapier/define.js';
import { PATHS, type IntegrityStatus } from '@audit-trail/sdk/contract';
import { getJson, hasProperties } from '../zapier/api.js';
import { integrityAlerts, type ChainAlert } from '../zapier/chain-alert.js';
import { applicationField } from '../zapier/common-fields.js';
import { applicationOverride, targetApplication } from '../zapier/target-application.js';
import sample from '../samples/integrity_alert.json';

const inputFields = defineInputFields([applicationField]);

/**
 * One alert per break (stable id), none while the trail is intact. The service checks only the entries added since
 * its verified watermark on each poll, plus a periodic full pass, so a poll costs the new entries, not the trail.
 *
 * When the Zap is switched on, Zapier polls once to learn which ids already exist and never fires for them
 * (`isPopulatingDedupe`). Answering that poll with nothing makes a trail that is already broken fire on the first
 * real poll, instead of staying silent forever.
 */
export const perform = (async (z, bundle) => {
  targetApplication(z, bundle, bundle.inputData);
  if (bundle.meta?.isPopulatingDedupe) return [];
  const status = await getJson<IntegrityStatus>(z, bundle, PATHS.integrity, {
    applicationId: applicationOverride(bundle.inputData),
    isExpected: hasProperties<IntegrityStatus>({ applicationId: 'string', breaks: 'array' }),
  });
  return integrityAlerts(status);
}) satisfies PollingTriggerPerform<InferInputData<typeof inputFields>, ChainAlert>;

export default defineTrigger({
  key: 'integrity_alert',
  noun: 'Integrity Alert',
  display: {
    label: 'Audit Trail Integrity Failed',
    description:
      "Triggers when verification finds the audit trail's hash chain broken (an entry changed, removed or reordered), once per break, including breaks that existed before the Zap was turned on.",
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
      { key: 'verifiedSequence', label: 'Entries Verified', type: 'integer' },
      { key: 'headSequence', label: 'Newest Entry Number', type: 'integer' },
      { key: 'message', label: 'Message', type: 'string', required: true },
      { key: 'detectedAt', label: 'Detected At', type: 'datetime' },
    ],
  },
});
