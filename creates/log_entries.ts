import type { CreatePerform, InferInputData } from 'zapier-platform-core';
import { defineCreate, defineInputFields } from '../zapier/define.js';
import {
  LIMITS,
  PATHS,
  batchBody,
  batchOverheadBytes,
  type BatchResponse,
  type BatchResult,
  type SerializedEntry,
} from '@audit-trail/sdk/contract';
import { hasProperties, sendWire } from '../zapier/api.js';
import { applicationField } from '../zapier/common-fields.js';
import { baseUrlOf } from '../zapier/connection.js';
import { entryField } from '../zapier/entry-fields.js';
import { isInputProblem, serializeInput, type EntryInput } from '../zapier/entry-input.js';
import { entryUrl } from '../zapier/entry-output.js';
import { withFieldLabels } from '../zapier/entry-fields.js';
import {
  IDEMPOTENCY_CONFLICT_MESSAGE,
  NO_BATCH_ENTRIES_MESSAGE,
  batchBodyTooLargeMessage,
  batchInvalidMessage,
  batchTooLargeMessage,
  entryIssueReason,
} from '../zapier/messages.js';
import { applicationOverride, targetApplication } from '../zapier/target-application.js';
import sample from '../samples/logged_entries.json';

/** The line-item group: each child is one entry field (roles as comma-separated text: children cannot be lists). */
const inputFields = defineInputFields([
  {
    // Zapier allows no help text on a line-item group; the operation's description and the children's say it.
    key: 'entries',
    label: 'Entries',
    children: [
      entryField('actorId', { required: true }),
      entryField('action', { required: true }),
      entryField('details', { type: 'text', required: false }),
      entryField('actorDisplayName', { required: false }),
      {
        ...entryField('actorRoles', { required: false }),
        helpText: 'The roles the actor held when acting, separated by commas, e.g. `admin,auditor`.',
      },
      entryField('entityType', { required: false }),
      entryField('entityId', { required: false }),
      entryField('occurredAt', { type: 'datetime', required: false }),
      entryField('ip', { required: false }),
      entryField('idempotencyKey', { required: false }),
    ],
  },
  applicationField,
]);

/** The outcome of one line, as later steps see it (flat, so every value can be mapped). */
export interface LoggedLine {
  /** 1-based line number, as the user counts the line items. */
  line: number;
  status: BatchResult['status'];
  entryId: string | null;
  sequence: number | null;
  hash: string | null;
  timestamp: string | null;
  entryUrl: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}

/** What Log Entries returns. */
export interface LoggedEntries {
  id: string;
  count: number;
  storedCount: number;
  duplicateCount: number;
  rejectedCount: number;
  results: LoggedLine[];
}

type Input = InferInputData<typeof inputFields>;

/** The lines of the step: the mapped line items, or the one entry given by the flat fields when none are mapped. */
export function linesOf(input: Input): EntryInput[] {
  const { entries } = input as { entries?: unknown };
  if (Array.isArray(entries)) return entries.filter((line): line is EntryInput => typeof line === 'object' && line !== null);
  const single = input as EntryInput;
  const keys = ['actorId', 'action', 'details', 'actorDisplayName', 'actorRoles', 'entityType', 'entityId', 'occurredAt', 'ip', 'idempotencyKey'] as const;
  return keys.some((key) => typeof single[key] === 'string' && (single[key] as string).trim() !== '') ? [single] : [];
}

const isBatchResponse = hasProperties<BatchResponse>({ results: 'array' });

/**
 * Validates every line (nothing is sent if one is wrong, and each wrong line is named), sends them as one
 * `POST /api/log/batch`, and returns one result per line.
 */
export const perform = (async (z, bundle) => {
  const lines = linesOf(bundle.inputData);
  if (lines.length === 0) throw new z.errors.Error(NO_BATCH_ENTRIES_MESSAGE, 'missing_field', 400);
  if (lines.length > LIMITS.batchEntries) {
    throw new z.errors.Error(batchTooLargeMessage(lines.length, LIMITS.batchEntries), 'batch_too_large', 400);
  }
  const serialized: SerializedEntry[] = [];
  const problems: string[] = [];
  lines.forEach((line, index) => {
    const result = serializeInput(line);
    if (isInputProblem(result)) problems.push(`Entry ${index + 1}: ${result.issue ? entryIssueReason(result.issue) : result.problem}`);
    else serialized.push(result);
  });
  if (problems.length > 0) throw new z.errors.Error(batchInvalidMessage(problems), 'invalid_field', 400);
  const bytes = serialized.reduce((sum, entry) => sum + entry.bytes, batchOverheadBytes(serialized.length));
  if (bytes > LIMITS.bodyBytes) throw new z.errors.Error(batchBodyTooLargeMessage(bytes, LIMITS.bodyBytes), 'body_too_large', 400);

  const applicationId = targetApplication(z, bundle, bundle.inputData);
  const response = await sendWire<BatchResponse>(
    z,
    bundle,
    { method: 'POST', path: PATHS.batch, headers: { 'Content-Type': 'application/json' }, body: batchBody(serialized.map((entry) => entry.json)) },
    { applicationId: applicationOverride(bundle.inputData), isExpected: isBatchResponse },
  );
  const baseUrl = baseUrlOf(z, bundle);
  const results = response.results.map((result): LoggedLine => {
    if (result.status === 'rejected') {
      const message = result.error.code === 'idempotency_conflict' ? IDEMPOTENCY_CONFLICT_MESSAGE : withFieldLabels(result.error.message);
      return { line: result.index + 1, status: 'rejected', entryId: null, sequence: null, hash: null, timestamp: null, entryUrl: null, errorCode: result.error.code, errorMessage: message };
    }
    const { receipt } = result;
    return {
      line: result.index + 1,
      status: result.status,
      entryId: receipt.logEntryId,
      sequence: receipt.sequence,
      hash: receipt.hash,
      timestamp: receipt.timestamp,
      entryUrl: entryUrl(baseUrl, receipt.logEntryId),
      errorCode: null,
      errorMessage: null,
    };
  });
  const count = (status: BatchResult['status']) => results.filter((result) => result.status === status).length;
  const first = results.find((result) => result.entryId !== null);
  return {
    // The batch has no id of its own: the application and the first entry's sequence name it uniquely.
    id: `${applicationId}:${first?.sequence ?? 'none'}:${results.length}`,
    count: results.length,
    storedCount: count('stored'),
    duplicateCount: count('duplicate'),
    rejectedCount: count('rejected'),
    results,
  } satisfies LoggedEntries;
}) satisfies CreatePerform<Input, LoggedEntries>;

export default defineCreate({
  key: 'log_entries',
  noun: 'Log Entries',
  display: {
    label: 'Log Entries',
    description: 'Logs many entries at once (one per line item) in a tamper-evident audit trail, with a result for each.',
  },
  operation: {
    inputFields,
    perform,
    sample,
    outputFields: [
      { key: 'id', label: 'Batch ID', type: 'string', required: true },
      { key: 'count', label: 'Entries Sent', type: 'integer', required: true },
      { key: 'storedCount', label: 'Entries Logged', type: 'integer', required: true },
      { key: 'duplicateCount', label: 'Entries Already Logged (Same Idempotency Key)', type: 'integer', required: true },
      { key: 'rejectedCount', label: 'Entries Rejected', type: 'integer', required: true },
      { key: 'results[]line', label: 'Result Line Number', type: 'integer' },
      { key: 'results[]status', label: 'Result Status', type: 'string' },
      { key: 'results[]entryId', label: 'Result Entry ID', type: 'string' },
      { key: 'results[]sequence', label: 'Result Sequence Number', type: 'integer' },
      { key: 'results[]hash', label: 'Result Chained Hash', type: 'string' },
      { key: 'results[]timestamp', label: 'Result Recorded At', type: 'datetime' },
      { key: 'results[]entryUrl', label: 'Result Entry Link', type: 'string' },
      { key: 'results[]errorCode', label: 'Result Error Code', type: 'string' },
      { key: 'results[]errorMessage', label: 'Result Error Message', type: 'string' },
    ],
  },
});
