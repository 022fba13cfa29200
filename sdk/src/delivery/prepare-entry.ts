/**
 * The caller-side half of `enqueue`: validate, mint the idempotency key, run the redaction hooks, serialise once and
 * write the UTF-8 bytes into the publisher's arena (entry-arena.ts), which measures them in the same pass.
 * This is the hot path: the entry is serialised exactly once, and what is queued is those bytes.
 */
import type { Entry } from '../contract/schemas.js';
import { uuidv7 } from '../ids.js';
import { ValidationError } from '../errors.js';
import { checkAndStringifyEntry, entrySizeIssue, isValidationIssue, type StringifiedEntry, type ValidationIssue } from '../contract/validation.js';
import type { ArenaSlot, EntryArena } from './entry-arena.js';
import type { BeforeSendHook } from './options.js';

/** An entry ready to queue: its bytes in an arena slot (its JSON text, key included, is `slotText(prepared)`). */
export interface PreparedEntry extends ArenaSlot {
  /** Its idempotency key. */
  key: string;
  /** When it was prepared (epoch ms; also the time in a minted key). */
  at: number;
}

/** A checked entry, serialised; `mint`: without its idempotency key yet, which is added when it is written. */
interface Checked extends StringifiedEntry {
  mint: boolean;
}

function invalid(issue: ValidationIssue, context: string): ValidationError {
  const error = ValidationError.fromIssue(issue, { operation: 'enqueue' });
  if (context === '') return error;
  return new ValidationError(`${context}: ${error.message}`, { code: issue.code, field: issue.field, operation: 'enqueue' });
}

/**
 * A plain object with no `idempotencyKey` member: its JSON with the key member appended is byte for byte the JSON
 * of a copy with the key added (same members, same order, no `toJSON` of a class), so it is serialised as given
 * and the key is written after it (EntryArena.writeWithKey), instead of copying the object to add the key.
 */
function keyCanBeAppended(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Object.hasOwn(value, 'idempotencyKey')) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function stringified(value: unknown, context: string): Checked {
  const mint = keyCanBeAppended(value);
  const result = mint ? checkAndStringifyEntry(value) : checkAndStringifyEntry(value, uuidv7);
  if (isValidationIssue(result)) throw invalid(result, context);
  return { entry: result.entry, json: result.json, mint };
}

/** Writes the checked entry's bytes into the arena, unless its size is refused (then nothing stays written). */
function written(arena: EntryArena, { entry, json, mint }: Checked, context: string): PreparedEntry {
  const at = Date.now();
  const key = mint ? uuidv7(at) : (entry.idempotencyKey as string);
  const slot = mint ? arena.writeWithKey(json, key) : arena.write(json);
  const tooLarge = entrySizeIssue(entry, slot.bytes);
  if (tooLarge) {
    arena.unwrite(slot);
    throw invalid(tooLarge, context);
  }
  return { key, at, chunk: slot.chunk, start: slot.start, bytes: slot.bytes };
}

function withHooks(first: Checked, hooks: readonly BeforeSendHook[], arena: EntryArena): PreparedEntry {
  // The entry as given is held to the size limit too, as it is without hooks.
  const tooLarge = entrySizeIssue(first.entry, Buffer.byteLength(first.json));
  if (tooLarge) throw invalid(tooLarge, '');
  const key = first.entry.idempotencyKey ?? uuidv7();
  let entry: Entry = { ...first.entry, idempotencyKey: key };
  for (const hook of hooks) {
    // A frozen copy: a hook cannot change the caller's object or the key by mutation; the key is put back anyway.
    entry = { ...hook(Object.freeze({ ...entry })), idempotencyKey: key };
  }
  const context = 'a beforeSend hook returned an invalid entry';
  return written(arena, stringified(entry, context), context);
}

/** Validates and serialises `value` into `arena`; throws a `ValidationError` before anything is queued or sent. */
export function prepareEntry(value: unknown, hooks: readonly BeforeSendHook[], arena: EntryArena): PreparedEntry {
  // The key is added before the one serialisation, so the queued JSON is a single flat text (splicing it into
  // the JSON afterwards kept a rope of the pieces, the whole original text among them, alive per queued entry).
  const first = stringified(value, '');
  if (hooks.length > 0) return withHooks(first, hooks, arena);
  return written(arena, first, '');
}
