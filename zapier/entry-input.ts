/**
 * Turns what a Zap step mapped into the entry fields into an entry for `serializeEntry`. Zapier sends blank fields
 * as empty strings, so blanks mean "not given". Details come as text (free text or a JSON object) and/or as
 * key/value pairs (a dict field); text that starts like JSON must be JSON, so a typo never turns a JSON object into
 * text that is then stored, for good, as something else than the user meant.
 */
import { isValidationIssue, parseDetailsText, serializeEntry, type Entry, type SerializedEntry, type ValidationIssue } from '@audit-trail/sdk/contract';
import {
  entryIssueMessage,
  DETAILS_NOT_OBJECT_MESSAGE,
  DETAILS_TEXT_AND_PAIRS_MESSAGE,
  detailsDuplicateKeyMessage,
  detailsNotJsonMessage,
} from './messages.js';

/** The entry inputs as Zapier passes them (all text; roles as a list; details pairs as an object). */
export interface EntryInput {
  actorId?: string | undefined;
  action?: string | undefined;
  details?: string | undefined;
  /** A dict field: key/value pairs, values as text. */
  detailsPairs?: Record<string, unknown> | undefined;
  actorDisplayName?: string | undefined;
  /** A list field; a single mapped value such as `admin,auditor` arrives as one string. */
  actorRoles?: string[] | string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  occurredAt?: string | undefined;
  ip?: string | undefined;
  idempotencyKey?: string | undefined;
}

/** A user-facing reason the input cannot become an entry (before the contract's own checks). */
export interface InputProblem {
  problem: string;
}

const present = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** Is this a problem rather than a value? */
export function isInputProblem(value: unknown): value is InputProblem {
  return typeof value === 'object' && value !== null && 'problem' in value && typeof (value as InputProblem).problem === 'string';
}

/** Details text read with the contract's strict rule (`parseDetailsText`), problems worded for the Zap step. */
export function parseDetails(text: string): Entry['details'] | InputProblem {
  const parsed = parseDetailsText(text);
  if (parsed.ok) return parsed.details;
  return { problem: parsed.problem === 'malformed_json' ? detailsNotJsonMessage(parsed.parserMessage) : DETAILS_NOT_OBJECT_MESSAGE };
}

/** Non-blank key/value pairs of the dict field (Zapier may send `{}` or a key with an empty value). */
function pairsOf(raw: Record<string, unknown> | undefined): Record<string, unknown> {
  const pairs: Record<string, unknown> = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return pairs;
  for (const [key, value] of Object.entries(raw)) {
    if (key.trim() === '') continue;
    pairs[key.trim()] = value;
  }
  return pairs;
}

/** The details of an entry from its text and its key/value pairs; `undefined` when neither is given. */
export function detailsFromInput(text: string | undefined, rawPairs: Record<string, unknown> | undefined): Entry['details'] | undefined | InputProblem {
  const pairs = pairsOf(rawPairs);
  const hasPairs = Object.keys(pairs).length > 0;
  if (!present(text)) return hasPairs ? pairs : undefined;
  const details = parseDetails(text);
  if (isInputProblem(details) || !hasPairs) return details;
  if (details === undefined || typeof details === 'string') return { problem: DETAILS_TEXT_AND_PAIRS_MESSAGE };
  const duplicate = Object.keys(pairs).find((key) => key in details);
  if (duplicate !== undefined) return { problem: detailsDuplicateKeyMessage(duplicate) };
  return { ...details, ...pairs };
}

/** Builds the (not yet validated) entry from the inputs. Identifiers are trimmed; free-text details are not. */
export function entryFromInput(input: EntryInput): Record<string, unknown> | InputProblem {
  const entry: Record<string, unknown> = {};
  // A blank required field is left out, so the contract reports it as missing rather than as badly formed.
  for (const key of ['actorId', 'action'] as const) {
    const value = input[key];
    if (present(value)) entry[key] = value.trim();
  }
  const details = detailsFromInput(input.details, input.detailsPairs);
  if (isInputProblem(details)) return details;
  if (details !== undefined) entry['details'] = details;
  for (const key of ['actorDisplayName', 'entityType', 'entityId', 'occurredAt', 'ip', 'idempotencyKey'] as const) {
    const value = input[key];
    if (present(value)) entry[key] = value.trim();
  }
  const rawRoles = typeof input.actorRoles === 'string' ? input.actorRoles.split(',') : (input.actorRoles ?? []);
  const roles = rawRoles.filter((role): role is string => typeof role === 'string').map((role) => role.trim()).filter((role) => role !== '');
  if (roles.length > 0) entry['actorRoles'] = roles;
  return entry;
}

/** A step's entry inputs, validated and serialised by the contract, or the user-facing reason they cannot be. */
export function serializeInput(input: EntryInput): SerializedEntry | { problem: string; code: string; issue?: ValidationIssue } {
  const entry = entryFromInput(input);
  if (isInputProblem(entry)) return { problem: entry.problem, code: 'invalid_field' };
  const serialized = serializeEntry(entry);
  if (isValidationIssue(serialized)) return { problem: entryIssueMessage(serialized), code: serialized.code, issue: serialized };
  return serialized;
}
