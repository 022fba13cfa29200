/**
 * The caller-side half of `enqueue`: validate, mint the idempotency key, run the redaction hooks, serialise once.
 * This is the hot path, so the common case (no key given, no hooks) splices the key into the JSON instead of
 * copying the entry and serialising it again.
 */
import { randomUUID } from 'node:crypto';
import type { Entry } from '../contract.js';
import { ValidationError } from '../errors.js';
import { isValidationIssue, serializeEntry, type SerializedEntry } from '../validation.js';
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

/** `{"idempotencyKey":"<uuid>",` is ASCII and always this long. */
const KEY_PREFIX_BYTES = '{"idempotencyKey":"",'.length + 36 - 1;

function serialized(value: unknown, context: string): SerializedEntry {
  const result = serializeEntry(value);
  if (isValidationIssue(result)) {
    const error = ValidationError.fromIssue(result, { operation: 'enqueue' });
    if (context === '') throw error;
    throw new ValidationError(`${context}: ${error.message}`, { code: result.code, field: result.field, operation: 'enqueue' });
  }
  return result;
}

function withHooks(first: SerializedEntry, hooks: readonly BeforeSendHook[]): PreparedEntry {
  const key = first.entry.idempotencyKey ?? randomUUID();
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
  const first = serialized(value, '');
  if (hooks.length > 0) return withHooks(first, hooks);
  const given = first.entry.idempotencyKey;
  if (given !== undefined) return { key: given, json: first.json, bytes: first.bytes };
  const key = randomUUID();
  // JSON.stringify of a valid entry always starts with `{"`, never `{}`: actorId and action are required.
  return { key, json: `{"idempotencyKey":"${key}",${first.json.slice(1)}`, bytes: first.bytes + KEY_PREFIX_BYTES };
}
