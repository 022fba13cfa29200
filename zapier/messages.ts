/**
 * Every sentence the app shows a Zapier user when something goes wrong, in one place. Each says what went wrong and
 * what to do, and names fields by the labels the user sees in the Zap editor. docs/zapier.md has the table of these
 * messages; test/app/messages.test.ts produces each one through the operation that shows it and checks the table.
 */
import type { ValidationIssue } from '@audit-trail/sdk/contract';
import { withFieldLabels } from './entry-fields.js';

const sentence = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`);
const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** Nothing answered at the API Base URL (refused, unknown host, timeout, TLS failure). */
export const unreachableMessage = (baseUrl: string): string =>
  `Could not reach the Audit Trail service at ${baseUrl}. Check API Base URL.`;

/** Something answered at the API Base URL, but not with what this API sends (an HTML page, another JSON shape). */
export const notTheServiceMessage = (baseUrl: string): string =>
  `The address in API Base URL (${baseUrl}) answered, but not like an Audit Trail service. Check API Base URL: it must be the address of the Audit Trail service itself.`;

/** 401: the organization id or secret is wrong (or was rotated). */
export const UNAUTHORIZED_MESSAGE =
  'The Audit Trail service did not accept the Organization ID and API Secret (they are wrong, or the secret was replaced). Reconnect the account with the current values.';

/** 403: the credentials are right but the application is not one of the organization's. */
export const FORBIDDEN_MESSAGE =
  "The Organization ID and API Secret are right, but the Application ID (or this step's Application) is not an application of that organization. Check Application ID, or pick another Application.";

/** 429, with the delay Zapier will wait when the service said. */
export const throttledMessage = (delaySeconds: number | undefined): string =>
  `The Audit Trail service is receiving too many requests right now; Zapier will try again${delaySeconds !== undefined ? ` in ${delaySeconds} seconds` : ' later'}.`;

/** 5xx: the service's own problem; its internals are not shown. */
export const serverErrorMessage = (status: number): string =>
  `The Audit Trail service had a temporary problem (HTTP ${status}). Try again in a few minutes; if it keeps happening, contact the service's administrator.`;

/** 404 without the API's error body: the path does not exist there, so the base URL is probably wrong. */
export const NOT_FOUND_MESSAGE =
  'The Audit Trail service has no such address (HTTP 404). Check API Base URL: enter the address of the service only, without /api at the end.';

/** 409 `idempotency_conflict`: the key was used for a different entry. */
export const IDEMPOTENCY_CONFLICT_MESSAGE =
  'This Idempotency Key was already used for a different entry, which stays recorded unchanged. Use a new Idempotency Key for a new entry, or the same values as the first time to get the recorded entry back.';

/** Any other 4xx with the API's error body; the service's message with field names turned into labels. */
export const refusedMessage = (status: number, detail: string | undefined): string =>
  `The Audit Trail service refused the request (HTTP ${status}): ${detail ? sentence(withFieldLabels(detail)) : 'it gave no reason.'}`;

/** The connection lacks an Application ID (only possible with a connection made outside the editor). */
export const NO_APPLICATION_MESSAGE = 'The connection has no Application ID. Reconnect the account and enter one.';

/**
 * Why the contract rejects an entry, in one sentence naming the field by its label: a missing field is "missing"
 * (blank or unmapped), a wrong one says what it must be.
 */
export function entryIssueReason(issue: ValidationIssue): string {
  const label = withFieldLabels(issue.field === 'body' ? 'The entry' : issue.field);
  if (issue.code === 'missing_field') {
    const plain = /(is required|must not be empty)$/.test(issue.message);
    return `${label} is missing${plain ? '' : ` (${withFieldLabels(issue.message)})`}.`;
  }
  return sentence(capitalized(withFieldLabels(issue.message)));
}

/** An entry the contract rejects, with what to do about it. */
export function entryIssueMessage(issue: ValidationIssue): string {
  const label = withFieldLabels(issue.field === 'body' ? 'The entry' : issue.field);
  const advice =
    issue.code === 'missing_field'
      ? `Fill in ${label} in this step; a blank or empty mapped value counts as missing.`
      : `Correct ${label} in this step.`;
  return `Cannot log this entry: ${entryIssueReason(issue)} ${advice}`;
}

/** Details text that starts like JSON (`{` or `[`) but does not parse. */
export const detailsNotJsonMessage = (parserMessage: string): string =>
  `Details looks like JSON but is not valid JSON: ${parserMessage.replace(/\.$/, '')}. Correct it, or use Details (Key/Value Pairs) instead; text that starts with { or [ must be valid JSON.`;

/** Details that is valid JSON, but not an object. */
export const DETAILS_NOT_OBJECT_MESSAGE =
  'Details must be a JSON object such as {"amount": 5}, not a list. Wrap the list in an object, e.g. {"items": [1, 2]}.';

/** Plain-text details together with key/value pairs: there is no object to merge the pairs into. */
export const DETAILS_TEXT_AND_PAIRS_MESSAGE =
  'Details is plain text, so it cannot be combined with Details (Key/Value Pairs). Write Details as a JSON object, or leave one of the two empty.';

/** The same key in Details (JSON) and Details (Key/Value Pairs): which value wins would be a guess. */
export const detailsDuplicateKeyMessage = (key: string): string =>
  `"${key}" is given both in Details and in Details (Key/Value Pairs). Keep it in only one of them.`;

/** A search without any criterion would always "find" the newest entry. */
export const NO_SEARCH_CRITERION_MESSAGE = 'Give at least one search criterion, e.g. Actor ID or Idempotency Key.';

/** A date/time filter that is not a date. */
export const notADateMessage = (label: string, value: string): string =>
  `${label} must be a date and time, e.g. 2026-01-31T12:00:00Z; got "${value}".`;

/** Find Entry by ID without an id. */
export const NO_ENTRY_ID_MESSAGE = 'Entry ID is missing. Map the Entry ID of a logged entry into this step.';

/** Log Entries without any line item. */
export const NO_BATCH_ENTRIES_MESSAGE = 'Entries is empty. Add at least one line item (or map a line-item list) with an Actor ID and an Action.';

/** Log Entries with more line items than one batch request takes. */
export const batchTooLargeMessage = (count: number, max: number): string =>
  `Log Entries takes at most ${max} entries per step, got ${count}. Split them over several steps or Zap runs.`;

/** Log Entries where some line items are invalid: none is sent, each problem is named with its line number. */
export const batchInvalidMessage = (problems: readonly string[]): string =>
  `Nothing was logged, because ${problems.length === 1 ? 'one entry is' : `${problems.length} entries are`} not valid. ${problems.slice(0, 5).join(' ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`;

/** Unsubscribe without the data Zapier saved at subscribe time. */
export const NO_SUBSCRIPTION_MESSAGE =
  'Zapier did not pass the webhook subscription to remove, so none was removed. If entries keep arriving, turn the Zap on and off again.';

/** A REST-hook delivery without an entry in it. */
export const INVALID_DELIVERY_MESSAGE = 'This webhook delivery does not contain an audit trail entry, so it was ignored.';

/** Subscribe without Zapier's target URL (only outside Zapier, e.g. a hand-made bundle). */
export const NO_TARGET_URL_MESSAGE = 'Zapier did not provide a URL to deliver entries to. Turn the Zap off and on again.';

/** Verify Audit Trail with a range whose end is before its start. */
export const verifyRangeMessage = (from: number, to: number): string =>
  `From Sequence Number (${from}) is after To Sequence Number (${to}). Swap them, or leave To Sequence Number empty to verify up to the newest entry.`;

/** A sequence number that is not a whole number from 1. */
export const sequenceNumberMessage = (label: string, value: unknown): string =>
  `${label} must be a whole number from 1, got "${String(value)}". Leave it empty to use the default.`;

/** The entry was recorded, but reading it back failed: running the step again could log it twice. */
export const readBackFailedMessage = (receipt: { logEntryId: string; sequence: number }, reason: string): string =>
  `The entry was logged (Entry ID ${receipt.logEntryId}, Sequence Number ${receipt.sequence}), but reading it back failed: ${sentence(reason.replace(/[.!?]$/, ''))} Do not run this step again unless it has an Idempotency Key, or the entry is logged twice.`;

/** Log Entries whose entries together exceed what one batch request may carry. */
export const batchBodyTooLargeMessage = (bytes: number, max: number): string =>
  `These entries are too large to log together (${bytes} bytes; one Log Entries step sends at most ${max} bytes). Split them over several steps, or shorten their Details.`;

/** A search criterion the contract's list query refuses (e.g. longer than any stored value can be). */
export const searchCriterionMessage = (contractMessage: string): string =>
  `${sentence(capitalized(withFieldLabels(contractMessage)))} Correct it in this step.`;

/** A Trusted Verifier Key that is not a C2SP verifier key. */
export const trustedKeyMessage = (reason: string): string =>
  `Trusted Verifier Key is not a verifier key (${reason}). Copy it exactly as your administrator published it, e.g. audit.example.com+1a2b3c4d+AQ…, or leave it empty.`;
