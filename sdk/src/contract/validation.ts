/**
 * Validation of entries, shared by the SDK (before any network call), the Zapier app and the server (on receipt).
 * Schema rules come from {@link EntrySchema}; the rules a JSON schema cannot express (IP syntax, real calendar
 * dates, serialisability, byte sizes, entity pairs, I-JSON soundness) are checked here.
 *
 * I-JSON (RFC 7493) soundness, for every field, nested, keys included: text must be well-formed UTF-16 (a lone
 * surrogate cannot be stored or hashed faithfully: SQLite and UTF-8 turn it into U+FFFD, so the hash would never
 * verify again), numbers must be finite (JSON has no NaN/Infinity; `JSON.stringify` would silently write `null`)
 * and integers must lie within ±(2^53−1), where every integer is exact (beyond it a stored number could be
 * rounded). Such values are rejected, never altered.
 */
import { isIP } from 'node:net';
import type { ValueError } from '@sinclair/typebox/errors';
import type { ErrorCode } from './error-codes.js';
import { EntrySchema } from './generated/schemas.js';
import { checkEntry } from './generated/validators.js';
import { ISO_DATE_TIME, LIMITS } from './limits.js';
import { typeBoxErrors, type TypeBoxErrors } from './typebox-errors.js';
import type { Entry, EntryField } from './schemas.js';

/** A problem with an entry: which field, a stable code and a message a person can act on. */
export interface ValidationIssue {
  /** A stable, machine-readable code. */
  code: ErrorCode;
  /** The entry field at fault, or `body` when the entry as a whole is wrong. */
  field: EntryField | 'body';
  /** A human-readable explanation. */
  message: string;
}

/** An entry that passed validation, with its JSON serialisation (made once and reused for sizing and sending). */
export interface SerializedEntry {
  /** The validated entry. */
  entry: Entry;
  /** `JSON.stringify(entry)`: the entry as it appears in a batch body. */
  json: string;
  /** UTF-8 byte length of `json`. */
  bytes: number;
}

const FIELD_FORMATS: Partial<Record<EntryField, string>> = {
  occurredAt: 'an ISO-8601 date-time with a time zone, e.g. 2026-01-31T12:00:00Z',
  idempotencyKey: 'printable ASCII without spaces',
  actorRoles: 'a list of role names without commas or control characters',
  details: 'text or a JSON object',
};

function issueFromSchemaError(error: ValueError, ValueErrorType: TypeBoxErrors['ValueErrorType']): ValidationIssue {
  const segments = error.path.split('/').filter(Boolean);
  const field = (segments[0] ?? 'body') as EntryField | 'body';
  const schema = error.schema as { maxLength?: number; maxItems?: number; minLength?: number };
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return { code: 'missing_field', field, message: `${field} is required` };
    case ValueErrorType.ObjectAdditionalProperties:
      return { code: 'invalid_field', field, message: `${field} is not a field of an entry` };
    case ValueErrorType.StringMinLength:
      return { code: 'missing_field', field, message: `${field} must not be empty` };
    case ValueErrorType.StringMaxLength:
      return {
        code: 'field_too_long',
        field,
        message: `${segments.length > 1 ? `each of ${field}` : field} must be at most ${schema.maxLength} characters`,
      };
    case ValueErrorType.ArrayMaxItems:
      return { code: 'field_too_long', field, message: `${field} may hold at most ${schema.maxItems} items` };
    case ValueErrorType.Object:
      if (field === 'body') return { code: 'invalid_field', field, message: 'An entry must be a JSON object' };
      break;
    default:
      break;
  }
  const format = FIELD_FORMATS[field as EntryField];
  return {
    code: 'invalid_field',
    field,
    message: format ? `${field} must be ${format}` : `${field} must be text without control characters`,
  };
}

const ISO_DATE_TIME_RE = new RegExp(ISO_DATE_TIME);

/** Is this text well-formed UTF-16 (no lone surrogate)? `String.prototype.isWellFormed`, Node 20+. */
export function isWellFormedText(value: string): boolean {
  return (value as string & { isWellFormed(): boolean }).isWellFormed();
}

/** Appends a member name to a JSON path the way a person reads it: `details.a`, `details["a b"]`, `details[2]`. */
function memberPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** Where a value breaks I-JSON, or `undefined`. */
export interface IJsonProblem {
  code: 'invalid_unicode' | 'invalid_number';
  /** The path of the value, from the field name, e.g. `details.items[3].price`. */
  path: string;
  message: string;
}

/**
 * The first I-JSON (RFC 7493) problem of a JSON-like value at `path`: text that is not well-formed UTF-16 (values
 * and keys), a number that is not finite, an integer outside ±(2^53−1). Values JSON cannot hold at all (functions,
 * bigints, cycles) are left to serialisation, which reports them.
 */
export function ijsonProblem(value: unknown, path: string): IJsonProblem | undefined {
  const pending: [unknown, string][] = [[value, path]];
  const seen = new Set<object>();
  // An explicit stack, not recursion: deeply nested input must not overflow the call stack.
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const [current, where] = item;
    if (typeof current === 'string') {
      if (!isWellFormedText(current)) {
        return { code: 'invalid_unicode', path: where, message: `${where} contains a lone UTF-16 surrogate (text cut in the middle of a character?)` };
      }
    } else if (typeof current === 'number') {
      if (!Number.isFinite(current)) return { code: 'invalid_number', path: where, message: `${where} must be a finite number, got ${current}` };
      if (Number.isInteger(current) && !Number.isSafeInteger(current)) {
        return {
          code: 'invalid_number',
          path: where,
          message: `${where} is an integer beyond ±(2^53−1), which JSON cannot carry exactly; send it as text`,
        };
      }
    } else if (typeof current === 'object' && current !== null && !seen.has(current)) {
      seen.add(current);
      if (Array.isArray(current)) {
        for (let index = current.length - 1; index >= 0; index -= 1) pending.push([current[index], memberPath(where, index)]);
      } else if (typeof (current as { toJSON?: unknown }).toJSON !== 'function') {
        const keys = Object.keys(current);
        for (let index = keys.length - 1; index >= 0; index -= 1) {
          const key = keys[index] as string;
          if (!isWellFormedText(key)) {
            return { code: 'invalid_unicode', path: where, message: `${where} has a key with a lone UTF-16 surrogate: ${JSON.stringify(key)}` };
          }
          pending.push([(current as Record<string, unknown>)[key], memberPath(where, key)]);
        }
      }
    }
  }
  return undefined;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Nesting below which {@link ijsonSound} answers by itself; deeper values (or cycles) go to {@link ijsonProblem}. */
const SOUND_DEPTH = 32;

/**
 * `true` when `value` certainly has no I-JSON problem; `false` when it may have one (or nests deeper than
 * {@link SOUND_DEPTH}). The common case on `enqueue`'s hot path: it builds no paths and allocates nothing,
 * where {@link ijsonProblem}, which names the path of the problem, cost more than the serialisation itself.
 */
function ijsonSound(value: unknown, depth: number): boolean {
  if (typeof value === 'string') return isWellFormedText(value);
  if (typeof value === 'number') return Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value));
  if (typeof value !== 'object' || value === null) return true;
  if (depth === SOUND_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) if (!ijsonSound(value[index], depth + 1)) return false;
    return true;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return true;
  // for-in over own members (Object.keys' members, in its order) without allocating a key list per object.
  for (const key in value) {
    if (!hasOwn.call(value, key)) continue;
    if (!isWellFormedText(key) || !ijsonSound((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

function ijsonIssue(entry: Entry): ValidationIssue | undefined {
  for (const key in entry) {
    if (!hasOwn.call(entry, key)) continue;
    const field = key as EntryField;
    const value = entry[field];
    if (ijsonSound(value, 0)) continue;
    // Only a value that may be unsound pays for the walk that names where the problem is.
    const problem = ijsonProblem(value, field);
    if (problem) return { code: problem.code, field, message: problem.message };
  }
  return undefined;
}

/**
 * Is this an ISO-8601 date-time with a time zone that names a real instant? `Date.parse` alone rolls impossible
 * dates over (Feb 31 → Mar 3), so the calendar fields are checked as well.
 */
export function isIsoDateTime(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_DATE_TIME_RE.test(value)) return false;
  const [date = '', time = ''] = value.split('T');
  const [year = NaN, month = NaN, day = NaN] = date.split('-').map(Number);
  const [hour = NaN, minute = NaN] = time.slice(0, 5).split(':').map(Number);
  const calendar = new Date(Date.UTC(year, month - 1, day));
  return (
    calendar.getUTCMonth() === month - 1 &&
    calendar.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    !Number.isNaN(Date.parse(value))
  );
}

function semanticIssue(entry: Entry): ValidationIssue | undefined {
  if ((entry.entityType === undefined) !== (entry.entityId === undefined)) {
    const missing = entry.entityType === undefined ? 'entityType' : 'entityId';
    return { code: 'missing_field', field: missing, message: 'entityType and entityId must be given together' };
  }
  if (entry.ip !== undefined && isIP(entry.ip) === 0) {
    return { code: 'invalid_field', field: 'ip', message: 'ip must be an IPv4 or IPv6 address' };
  }
  if (entry.occurredAt !== undefined && !isIsoDateTime(entry.occurredAt)) {
    return { code: 'invalid_field', field: 'occurredAt', message: `occurredAt must be ${FIELD_FORMATS.occurredAt}` };
  }
  return undefined;
}

/** UTF-8 size of the details as they travel in the body of `POST /api/log/...`. */
export function detailsBytes(details: Entry['details']): number {
  if (details === undefined) return 0;
  return Buffer.byteLength(typeof details === 'string' ? details : JSON.stringify(details));
}

const detailsTooLarge = (): ValidationIssue => ({
  code: 'details_too_large',
  field: 'details',
  message: `details must be at most ${LIMITS.detailsBytes} bytes once serialised`,
});

/** An entry that passed every check but its size, with its JSON (see {@link checkAndStringifyEntry}). */
export interface StringifiedEntry {
  /** The validated entry. */
  entry: Entry;
  /** `JSON.stringify(entry)`. */
  json: string;
}

/**
 * Every check of {@link serializeEntry} but the size one, and the one serialisation: for a caller that measures
 * the JSON's bytes itself (the SDK writes them where it queues them, which measures them), then calls
 * {@link entrySizeIssue}.
 */
export function checkAndStringifyEntry(value: unknown, mintIdempotencyKey?: () => string): StringifiedEntry | ValidationIssue {
  if (!checkEntry(value)) {
    const { Errors, ValueErrorType } = typeBoxErrors();
    const first = Errors(EntrySchema, value).First();
    return first ? issueFromSchemaError(first, ValueErrorType) : { code: 'invalid_field', field: 'body', message: 'Invalid entry' };
  }
  // Object.assign, not `{ ...value, idempotencyKey }`: V8 (Node 22) turns a spread followed by a new property into a
  // slow object, which cost 2 µs here and again in JSON.stringify. Safe after checkEntry: every own key is an
  // entry field, so no `__proto__` key can reach the assignment.
  const entry =
    mintIdempotencyKey && (value as Entry).idempotencyKey === undefined
      ? (Object.assign({}, value as Entry, { idempotencyKey: mintIdempotencyKey() }) as Entry)
      : (value as Entry);
  const semantic = ijsonIssue(entry) ?? semanticIssue(entry);
  if (semantic) return semantic;
  try {
    return { entry, json: JSON.stringify(entry) };
  } catch (error) {
    return {
      code: 'details_not_serializable',
      field: 'details',
      message: `details cannot be serialised to JSON (${(error as Error).message.split('\n')[0]})`,
    };
  }
}

/** The size issue of an entry whose JSON is `bytes` long (UTF-8), if any. */
export function entrySizeIssue(entry: Entry, bytes: number): ValidationIssue | undefined {
  // The whole entry bounds its details: only a large entry pays for measuring them exactly.
  return bytes > LIMITS.detailsBytes && detailsBytes(entry.details) > LIMITS.detailsBytes ? detailsTooLarge() : undefined;
}

/**
 * Checks an entry against the contract and serialises it, once. Returns the issue instead of throwing so that
 * callers choose their own error type (SDK `ValidationError`, Zapier `z.errors.Error`, server 4xx).
 *
 * `mintIdempotencyKey`, when given, supplies the key of an entry that has none; it is added after the check (a key
 * we mint is valid by construction) and before the one serialisation.
 */
export function serializeEntry(value: unknown, mintIdempotencyKey?: () => string): SerializedEntry | ValidationIssue {
  const result = checkAndStringifyEntry(value, mintIdempotencyKey);
  if (isValidationIssue(result)) return result;
  const bytes = Buffer.byteLength(result.json);
  return entrySizeIssue(result.entry, bytes) ?? { entry: result.entry, json: result.json, bytes };
}

/** Checks an entry against the contract. Returns the first issue found, or `undefined` when it is valid. */
export function validateEntry(value: unknown): ValidationIssue | undefined {
  const result = serializeEntry(value);
  return isValidationIssue(result) ? result : undefined;
}

/** Type guard: is this the issue branch of {@link serializeEntry}'s result? */
export function isValidationIssue<T extends object>(value: T | ValidationIssue): value is ValidationIssue {
  return 'code' in value;
}
