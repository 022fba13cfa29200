/**
 * The caller-side half of `enqueue`: validate, mint the idempotency key, run the redaction hooks, serialise once.
 * This is the hot path: the entry is serialised exactly once, and what is queued is that one string.
 */
import type { Entry } from '../contract/schemas.js';
import { uuidv7 } from '../ids.js';
import { ValidationError } from '../errors.js';
import { isValidationIssue, serializeEntry, type SerializedEntry } from '../contract/validation.js';
import type { BeforeSendHook } from './options.js';

/** An entry ready to queue. */
export interface PreparedEntry {
  /** Its idempotency key. */
  key: string;
  /** Its JSON, key included. */
  json: string;
  /** `Buffer.byteLength(json)`. */
  bytes: number;
}

function serialized(value: unknown, context: string): SerializedEntry {
  const result = serializeEntry(value, uuidv7);
  if (isValidationIssue(result)) {
    const error = ValidationError.fromIssue(result, { operation: 'enqueue' });
    if (context === '') throw error;
    throw new ValidationError(`${context}: ${error.message}`, { code: result.code, field: result.field, operation: 'enqueue' });
  }
  return result;
}

function withHooks(first: SerializedEntry, hooks: readonly BeforeSendHook[]): PreparedEntry {
  const key = first.entry.idempotencyKey ?? uuidv7();
  let entry: Entry = { ...first.entry, idempotencyKey: key };
  for (const hook of hooks) {
    // A frozen copy: a hook cannot change the caller's object or the key by mutation; the key is put back anyway.
    entry = { ...hook(Object.freeze({ ...entry })), idempotencyKey: key };
  }
  const final = serialized(entry, 'a beforeSend hook returned an invalid entry');
  return { key, json: final.json, bytes: final.bytes };
}

/** Validates and serialises `value`; throws a `ValidationError` before anything is queued or sent. */
export function prepareEntry(value: unknown, hooks: readonly BeforeSendHook[]): PreparedEntry {
  // The key is added before the one serialisation, so the queued JSON is a single flat string (splicing it into
  // the JSON afterwards kept a rope of the pieces, the whole original text among them, alive per queued entry).
  const first = serialized(value, '');
  if (hooks.length > 0) return withHooks(first, hooks);
  return { key: first.entry.idempotencyKey as string, json: first.json, bytes: first.bytes };
}
