/**
 * Turns what a Zap step mapped into the create's fields into an entry for `serializeEntry`. Zapier sends blank
 * fields as empty strings, so blanks mean "not given"; the details field is text, read by the contract's
 * `detailsFromText` (a JSON object is sent as that object, anything else as plain text).
 */
import { detailsFromText } from '@audit-trail/sdk/contract';

/** The create's inputs as Zapier passes them (all text; roles as a list). */
export interface EntryInput {
  actorId: string;
  action: string;
  details?: string | undefined;
  actorDisplayName?: string | undefined;
  /** A list field; a single mapped value such as `admin,auditor` arrives as one string. */
  actorRoles?: string[] | string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  occurredAt?: string | undefined;
  ip?: string | undefined;
  idempotencyKey?: string | undefined;
}

const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/** Builds the (not yet validated) entry from the create's inputs. Identifiers are trimmed; details are not. */
export function entryFromInput(input: EntryInput): Record<string, unknown> {
  const entry: Record<string, unknown> = { actorId: input.actorId?.trim(), action: input.action?.trim() };
  if (present(input.details)) entry['details'] = detailsFromText(input.details);
  for (const key of ['actorDisplayName', 'entityType', 'entityId', 'occurredAt', 'ip', 'idempotencyKey'] as const) {
    const value = input[key];
    if (present(value)) entry[key] = value.trim();
  }
  const rawRoles = typeof input.actorRoles === 'string' ? input.actorRoles.split(',') : (input.actorRoles ?? []);
  const roles = rawRoles.map((role) => role.trim()).filter((role) => role !== '');
  if (roles.length > 0) entry['actorRoles'] = roles;
  return entry;
}
