import type { CreatePerform, InferInputData } from 'zapier-platform-core';
import { defineCreate, defineInputFields } from '../zapier/define.js';
import { PATHS, type ChainBreak, type ChainFailureReason, type VerifyQuery, type VerifyResult } from '@audit-trail/sdk/contract';
import { getJson, hasProperties } from '../zapier/api.js';
import { REASON_TEXT } from '../zapier/chain-alert.js';
import { checkpointEvidence, checkpointSentence, trustedKeyOf, type CheckpointEvidence } from '../zapier/checkpoint.js';
import { applicationField } from '../zapier/common-fields.js';
import { docsLink } from '../zapier/docs-links.js';
import { sequenceNumberMessage, verifyRangeMessage } from '../zapier/messages.js';
import { applicationOverride, targetApplication } from '../zapier/target-application.js';
import sample from '../samples/verification.json';

const inputFields = defineInputFields([
  {
    key: 'fromSequence',
    label: 'From Sequence Number',
    type: 'integer',
    required: false,
    helpText: 'Verify from this entry on (its Sequence Number). Leave empty to start at the first entry.',
  },
  {
    key: 'toSequence',
    label: 'To Sequence Number',
    type: 'integer',
    required: false,
    helpText: 'Verify up to and including this entry. Leave empty to verify up to the newest entry.',
  },
  {
    key: 'trustedVerifierKey',
    label: 'Trusted Verifier Key',
    required: false,
    helpText: `The key that signs this service's checkpoints, as your administrator published it, e.g. \`audit.example.com+1a2b3c4d+AQ…\`. When given, the signed checkpoint must verify with it. Leave empty to check it with the key the service reports, which proves less. [What this proves](${docsLink('verify-audit-trail-and-the-signed-checkpoint')}).`,
  },
  applicationField,
]);

/** The verification as a Zap step outputs it: flat, with a sentence to paste into a report or a message. */
export interface Verification extends CheckpointEvidence {
  id: string;
  applicationId: string;
  valid: boolean;
  checked: number;
  lastHash: string | null;
  firstBadSequence: number | null;
  firstBadEntryId: string | null;
  reason: ChainFailureReason | null;
  /** Every break the service found, in chain order (the first is the one above). */
  breaks: ChainBreak[];
  /** The service found more breaks than it lists. */
  breaksTruncated: boolean;
  message: string;
  verifiedAt: string;
}

/** A whole number from 1, `undefined` when blank, or a user-facing error. */
function sequenceOf(z: Parameters<typeof perform>[0], label: string, value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(number) || number < 1) throw new z.errors.Error(sequenceNumberMessage(label, value), 'invalid_field', 400);
  return number;
}

const isVerifyResult = hasProperties<VerifyResult>({ valid: 'boolean', checked: 'number' });

/** Runs the service's verification of the chain (or a range of it) and returns the result as evidence. */
export const perform = (async (z, bundle) => {
  const fromSequence = sequenceOf(z, 'From Sequence Number', bundle.inputData.fromSequence);
  const toSequence = sequenceOf(z, 'To Sequence Number', bundle.inputData.toSequence);
  if (fromSequence !== undefined && toSequence !== undefined && fromSequence > toSequence) {
    throw new z.errors.Error(verifyRangeMessage(fromSequence, toSequence), 'invalid_field', 400);
  }
  const trusted = trustedKeyOf(z, bundle.inputData.trustedVerifierKey);
  const applicationId = targetApplication(z, bundle, bundle.inputData);
  const override = applicationOverride(bundle.inputData);
  const query: VerifyQuery = { fromSequence, toSequence };
  const result = await getJson<VerifyResult>(z, bundle, PATHS.verifyChain, { query, applicationId: override, isExpected: isVerifyResult });
  const evidence = await checkpointEvidence(z, bundle, override, trusted);
  const verifiedAt = new Date().toISOString();
  const common = { id: `${applicationId}:${verifiedAt}`, applicationId, checked: result.checked, verifiedAt, ...evidence };
  if (result.valid) {
    return {
      ...common,
      valid: true,
      lastHash: result.lastHash,
      firstBadSequence: null,
      firstBadEntryId: null,
      reason: null,
      breaks: [],
      breaksTruncated: false,
      message: `The audit trail of application ${applicationId} is intact: ${result.checked} ${result.checked === 1 ? 'entry' : 'entries'} verified, the last one with chained hash ${result.lastHash}. ${checkpointSentence(evidence)}`,
    } satisfies Verification;
  }
  return {
    ...common,
    valid: false,
    lastHash: null,
    firstBadSequence: result.firstBadSequence,
    firstBadEntryId: result.firstBadEntryId,
    reason: result.reason,
    breaks: result.breaks,
    breaksTruncated: result.breaksTruncated,
    message: `The audit trail of application ${applicationId} is broken at entry #${result.firstBadSequence}: ${REASON_TEXT[result.reason]}.${
      result.breaks.length > 1 ? ` ${result.breaksTruncated ? 'More than ' : ''}${result.breaks.length} breaks were found in all.` : ''
    } ${checkpointSentence(evidence)}`,
  } satisfies Verification;
}) satisfies CreatePerform<InferInputData<typeof inputFields>, Verification>;

export default defineCreate({
  key: 'verify_audit_trail',
  noun: 'Verification',
  display: {
    label: 'Verify Audit Trail',
    description:
      "Verifies the audit trail's hash chain on the service and returns the result (intact, or where and how it is broken) with the service's signed checkpoint, as evidence.",
  },
  operation: {
    inputFields,
    perform,
    sample,
    outputFields: [
      { key: 'id', label: 'Verification ID', type: 'string', required: true },
      { key: 'applicationId', label: 'Application ID', type: 'string', required: true },
      { key: 'valid', label: 'Intact', type: 'boolean', required: true },
      { key: 'checked', label: 'Entries Verified', type: 'integer', required: true },
      { key: 'lastHash', label: 'Last Chained Hash', type: 'string' },
      { key: 'firstBadSequence', label: 'First Bad Sequence Number', type: 'integer' },
      { key: 'firstBadEntryId', label: 'First Bad Entry ID', type: 'string' },
      { key: 'reason', label: 'Reason Code', type: 'string' },
      { key: 'breaks[]sequence', label: 'Break Sequence Number', type: 'integer' },
      { key: 'breaks[]entryId', label: 'Break Entry ID', type: 'string' },
      { key: 'breaks[]reason', label: 'Break Reason Code', type: 'string' },
      { key: 'breaksTruncated', label: 'More Breaks Than Listed', type: 'boolean', required: true },
      { key: 'treeSize', label: 'Checkpoint Tree Size', type: 'integer' },
      { key: 'rootHash', label: 'Checkpoint Root Hash', type: 'string' },
      { key: 'checkpoint', label: 'Signed Checkpoint', type: 'string' },
      { key: 'logOrigin', label: 'Log Origin', type: 'string' },
      { key: 'verifierKey', label: 'Verifier Key Used', type: 'string' },
      { key: 'checkpointVerified', label: 'Checkpoint Signature Verified', type: 'boolean' },
      { key: 'checkpointKeySource', label: 'Verifier Key Source', type: 'string' },
      { key: 'checkpointProblem', label: 'Checkpoint Problem', type: 'string' },
      { key: 'message', label: 'Result Message', type: 'string', required: true },
      { key: 'verifiedAt', label: 'Verified At', type: 'datetime', required: true },
    ],
  },
});
