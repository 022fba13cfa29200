/**
 * Output fields of operations that return entries (triggers, search, create), so later Zap steps see the same
 * labels everywhere. Labels of the caller's fields come from the contract's `EntrySchema`.
 */
import type { PlainOutputField } from 'zapier-platform-core';
import type { EntryField } from '@audit-trail/sdk/contract';
import { entryFieldLabel } from './entry-fields.js';

const fromEntry = (key: EntryField, extras: Omit<PlainOutputField, 'key' | 'label'> = {}): PlainOutputField => ({
  key,
  label: entryFieldLabel(key),
  ...extras,
});

/** The fields the caller gave, shared by stored entries and the create's result. */
const CALLER_FIELDS: PlainOutputField[] = [
  fromEntry('actorId', { type: 'string', required: true }),
  fromEntry('action', { type: 'string', required: true }),
  fromEntry('details'),
  fromEntry('actorDisplayName', { type: 'string' }),
  fromEntry('actorRoles', { type: 'string', list: true }),
  fromEntry('entityType', { type: 'string' }),
  fromEntry('entityId', { type: 'string' }),
  fromEntry('occurredAt', { type: 'datetime' }),
  fromEntry('ip', { type: 'string' }),
  fromEntry('idempotencyKey', { type: 'string' }),
];

/** What the service adds: ids, position and hashes. */
const SERVICE_FIELDS: PlainOutputField[] = [
  { key: 'id', label: 'Entry ID', type: 'string', required: true },
  { key: 'applicationId', label: 'Application ID', type: 'string', required: true },
  { key: 'sequence', label: 'Sequence Number', type: 'integer', required: true },
  { key: 'timestamp', label: 'Recorded At', type: 'datetime', required: true },
  { key: 'hash', label: 'Chained Hash', type: 'string', required: true },
  { key: 'previousHash', label: 'Previous Hash', type: 'string', required: true },
  { key: 'standaloneHash', label: 'Standalone Hash', type: 'string', required: true },
];

/** Output fields of a `StoredEntry` (triggers and search). */
export const STORED_ENTRY_OUTPUT_FIELDS: PlainOutputField[] = [
  ...SERVICE_FIELDS,
  ...CALLER_FIELDS,
  { key: 'hashVersion', label: 'Hash Version', type: 'integer' },
];

/** Output fields of the create: the receipt plus the entry as sent. */
export const LOGGED_ENTRY_OUTPUT_FIELDS: PlainOutputField[] = [
  ...SERVICE_FIELDS,
  { key: 'logEntryId', label: 'Log Entry ID', type: 'string', required: true },
  ...CALLER_FIELDS,
];
