import {
  defineInputFields,
  defineTrigger,
  type InferInputData,
  type WebhookTriggerPerform,
  type WebhookTriggerPerformList,
  type WebhookTriggerPerformSubscribe,
  type WebhookTriggerPerformUnsubscribe,
} from 'zapier-platform-core';
import { PATHS, type CreateHookRequest, type HookSubscription, type StoredEntry } from '@audit-trail/sdk/contract';
import { sendWire } from '../zapier/api.js';
import { actionFilter, actorFilter, applicationField, entityTypeFilter } from '../zapier/common-fields.js';
import { STORED_ENTRY_OUTPUT_FIELDS } from '../zapier/entry-output.js';
import { filtersOf, listEntries, pollSize } from '../zapier/list-entries.js';
import { applicationOverride } from '../zapier/target-application.js';
import sample from '../samples/stored_entry.json';

const inputFields = defineInputFields([actorFilter, actionFilter, entityTypeFilter, applicationField]);
type Input = InferInputData<typeof inputFields>;

/** Asks the service to POST each new matching entry to Zapier's `targetUrl`; the subscription becomes `subscribeData`. */
export const performSubscribe = (async (z, bundle) => {
  if (!bundle.targetUrl) throw new z.errors.Error('Zapier did not provide a URL to deliver entries to.', 'MissingTargetUrl', 400);
  const request: CreateHookRequest = { targetUrl: bundle.targetUrl, ...filtersOf(bundle.inputData) };
  return sendWire<HookSubscription>(
    z,
    bundle,
    { method: 'POST', path: PATHS.hooks, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) },
    { applicationId: applicationOverride(bundle.inputData) },
  );
}) satisfies WebhookTriggerPerformSubscribe<Input, HookSubscription>;

/** Removes the subscription made by {@link performSubscribe}. */
export const performUnsubscribe = (async (z, bundle) => {
  const id = bundle.subscribeData?.id;
  if (!id) throw new z.errors.Error('This Zap has no webhook subscription to remove.', 'MissingSubscription', 400);
  await sendWire<unknown>(z, bundle, { method: 'DELETE', path: PATHS.hook(id), headers: {} }, {
    applicationId: applicationOverride(bundle.inputData),
  });
  return { id };
}) satisfies WebhookTriggerPerformUnsubscribe<Input, { id: string }>;

/** The service POSTs one stored entry per delivery: pass it on as is. */
export const perform = (async (z, bundle) => {
  const delivered: unknown = bundle.cleanedRequest;
  if (typeof delivered !== 'object' || delivered === null || typeof (delivered as { id?: unknown }).id !== 'string') {
    throw new z.errors.Error('This webhook delivery does not contain an audit trail entry.', 'InvalidDelivery', 400);
  }
  return [delivered as StoredEntry];
}) satisfies WebhookTriggerPerform<Input, StoredEntry>;

/** Recent entries in the same shape as a delivery, for samples and the Zap editor's test. */
export const performList = (async (z, bundle) =>
  listEntries(
    z,
    bundle,
    { ...filtersOf(bundle.inputData), limit: pollSize(bundle.meta) },
    applicationOverride(bundle.inputData),
  )) satisfies WebhookTriggerPerformList<Input, StoredEntry>;

export default defineTrigger({
  key: 'new_log_entry_instant',
  noun: 'Log Entry',
  display: {
    label: 'New Log Entry (Instant)',
    description: 'Triggers when a new entry is recorded in the audit trail (delivered instantly by webhook), optionally only for one actor, action or entity type.',
  },
  operation: {
    type: 'hook',
    inputFields,
    performSubscribe,
    performUnsubscribe,
    perform,
    performList,
    sample,
    outputFields: STORED_ENTRY_OUTPUT_FIELDS,
  },
});
