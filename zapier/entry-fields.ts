/**
 * Zapier input fields derived from the contract's `EntrySchema`: the label is the property's `title`, the help
 * text its `description`, so the app, the OpenAPI document and the SDK say the same thing about each field.
 */
import type { PlainInputField } from 'zapier-platform-core';
import { EntrySchema, type EntryField } from '@audit-trail/sdk/contract';

/** What an operation may add to a derived field (everything but what the schema decides). */
export type EntryFieldExtras = Omit<PlainInputField, 'key' | 'label' | 'helpText'>;

const ENTRY_FIELDS = Object.keys(EntrySchema.properties) as EntryField[];

/** The user-facing label of an entry field (its schema `title`). */
export function entryFieldLabel(field: EntryField): string {
  return EntrySchema.properties[field].title ?? field;
}

/** The help text of an entry field (its schema `description`). */
export function entryFieldHelp(field: EntryField): string {
  return EntrySchema.properties[field].description ?? entryFieldLabel(field);
}

/**
 * A Zapier input field for an entry field. `extras` keep their literal types (`required: true`, `list: true`),
 * so `InferInputData` still types `bundle.inputData` precisely.
 */
export function entryField<const K extends EntryField, const E extends EntryFieldExtras>(
  key: K,
  extras: E,
): { key: K; label: string; helpText: string } & E {
  return { key, label: entryFieldLabel(key), helpText: entryFieldHelp(key), ...extras };
}

const FIELD_NAME = new RegExp(`\\b(${ENTRY_FIELDS.join('|')})\\b`, 'g');

/** Rewrites the contract's field names in a message into the labels a Zapier user sees ("actorId" → "Actor ID"). */
export function withFieldLabels(message: string): string {
  return message.replace(FIELD_NAME, (name) => entryFieldLabel(name as EntryField));
}

/** Details as key/value pairs (a dict field), merged into the JSON object of Details when both are given. */
export const detailsPairsField = {
  key: 'detailsPairs',
  label: 'Details (Key/Value Pairs)',
  dict: true,
  required: false,
  helpText:
    'Details as key/value pairs, e.g. `amount` → `120.5`; stored as a JSON object whose values are text. Use it instead of Details, or together with Details written as a JSON object (each key only once).',
} as const satisfies PlainInputField;
