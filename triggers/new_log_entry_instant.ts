import type { InferInputData, WebhookTriggerPerform, WebhookTriggerPerformList, WebhookTriggerPerformSubscribe, WebhookTriggerPerformUnsubscribe } from 'zapier-platform-core';
import { defineInputFields, defineTrigger } from '../zapier/define.js';
import { PATHS, type CreateHookRequest, type HookSubscription, type StoredEntry } from '@audit-trail/sdk/contract';
import { hasProperties, sendWire } from '../zapier/api.js';
import { actionFilter, actorFilter, applicationField, entityIdFilter, entityTypeFilter } from '../zapier/common-fields.js';
import { baseUrlOf } from '../zapier/connection.js';
import { capEntries, ENTRY_OUTPUT_FIELDS, entryOutput, type EntryOutput } from '../zapier/entry-output.js';
import { filtersOf, listEntryOutputs, pollSize } from '../zapier/list-entries.js';
import { INVALID_DELIVERY_MESSAGE, NO_SUBSCRIPTION_MESSAGE, NO_TARGET_URL_MESSAGE } from '../zapier/messages.js';
import { statusOfThrown } from '../zapier/response-errors.js';
import { applicationOverride } from '../zapier/target-application.js';
import sample from '../samples/stored_entry.json';

const inputFields = defineInputFields([actorFilter, actionFilter, entityTypeFilter, entityIdFilter, applicationField]);
type Input = InferInputData<typeof inputFields>;

/** Asks the service to POST each new matching entry to Zapier's `targetUrl`; the subscription becomes `subscribeData`. */
export const performSubscribe = (async (z, bundle) => {
  if (!bundle.targetUrl) throw new z.errors.Error(NO_TARGET_URL_MESSAGE, 'MissingTargetUrl', 400);
  const request: CreateHookRequest = { targetUrl: bundle.targetUrl, ...filtersOf(bundle.inputData) };
  return sendWire<HookSubscription>(
    z,
    bundle,
    { method: 'POST', path: PATHS.hooks, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) },
    { applicationId: applicationOverride(bundle.inputData), isExpected: hasProperties<HookSubscription>({ id: 'string' }) },
  );
}) satisfies WebhookTriggerPerformSubscribe<Input, HookSubscription>;

/**
 * Removes the subscription made by {@link performSubscribe}. A subscription the service no longer has (404) is
 * what unsubscribing wants, so it succeeds: otherwise a user could not turn off a Zap whose hook was already gone.
 */
export const performUnsubscribe = (async (z, bundle) => {
  const id = bundle.subscribeData?.id;
  if (!id) throw new z.errors.Error(NO_SUBSCRIPTION_MESSAGE, 'MissingSubscription', 400);
  try {
    await sendWire<unknown>(z, bundle, { method: 'DELETE', path: PATHS.hook(id), headers: {} }, {
      applicationId: applicationOverride(bundle.inputData),
      isExpected: (_data: unknown): _data is unknown => true,
    });
  } catch (error) {
    if (statusOfThrown(error) !== 404) throw error;
  }
  return { id };
}) satisfies WebhookTriggerPerformUnsubscribe<Input, { id: string }>;

/** The service POSTs one stored entry per delivery: pass it on in the same shape as the polling trigger's. */
export const perform = (async (z, bundle) => {
  const delivered: unknown = bundle.cleanedRequest;
  if (typeof delivered !== 'object' || delivered === null || typeof (delivered as { id?: unknown }).id !== 'string') {
    throw new z.errors.Error(INVALID_DELIVERY_MESSAGE, 'InvalidDelivery', 400);
  }
  return capEntries([entryOutput(delivered as StoredEntry, baseUrlOf(z, bundle))]);
}) satisfies WebhookTriggerPerform<Input, EntryOutput>;

/** Recent entries in the same shape as a delivery, for samples and the Zap editor's test. */
export const performList = (async (z, bundle) =>
  listEntryOutputs(
    z,
    bundle,
    { ...filtersOf(bundle.inputData), limit: pollSize(bundle.meta) },
    applicationOverride(bundle.inputData),
  )) satisfies WebhookTriggerPerformList<Input, EntryOutput>;

export default defineTrigger({
  key: 'new_log_entry_instant',
  noun: 'Log Entry',
  display: {
    label: 'New Log Entry (Instant)',
    description: 'Triggers when a new entry is recorded in the audit trail (delivered instantly by webhook), optionally only for one actor, action, entity type or entity.',
  },
  operation: {
    type: 'hook',
    inputFields,
    performSubscribe,
    performUnsubscribe,
    perform,
    performList,
    sample,
    outputFields: ENTRY_OUTPUT_FIELDS,
  },
});
