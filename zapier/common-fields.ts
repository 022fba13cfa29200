/**
 * Input fields shared by several operations: which application to act on, and the entry filters of the
 * triggers and the search. Filters are optional and reuse the contract's labels.
 */
import type { PlainInputField } from 'zapier-platform-core';
import { entryField, entryFieldLabel } from './entry-fields.js';

/** Key of the hidden trigger that lists the organization's applications. */
export const APPLICATION_LIST_KEY = 'application_list';
/** Key of the hidden trigger that lists recently recorded actions. */
export const RECENT_ACTION_LIST_KEY = 'recent_action_list';
/** Key of the hidden trigger that lists recent entries. */
export const RECENT_ENTRY_LIST_KEY = 'recent_entry_list';

/** An optional override of the connection's application, picked from the organization's applications. */
export const applicationField = {
  key: 'applicationId',
  label: 'Application',
  helpText:
    "The application whose audit trail to use. Leave empty to use the connection's Application ID; pick another to work with another application of the same organization.",
  dynamic: `${APPLICATION_LIST_KEY}.id.name`,
  required: false,
} as const satisfies PlainInputField;

/** The action, picked from the actions recently recorded or typed in (custom values are allowed). */
export const actionDropdown = { dynamic: `${RECENT_ACTION_LIST_KEY}.id.action` } as const;

/** Filter: only entries by this actor. */
export const actorFilter = {
  ...entryField('actorId', { required: false }),
  helpText: `Only entries whose ${entryFieldLabel('actorId')} is exactly this value. Leave empty for any actor.`,
};

/** Filter: only entries with this action. */
export const actionFilter = {
  ...entryField('action', { required: false, ...actionDropdown }),
  helpText: `Only entries with exactly this ${entryFieldLabel('action')} (pick one recently recorded or type one in). Leave empty for any action.`,
};

/** Filter: only entries about this kind of entity. */
export const entityTypeFilter = {
  ...entryField('entityType', { required: false }),
  helpText: `Only entries about this ${entryFieldLabel('entityType')}, e.g. \`invoice\`. Leave empty for any.`,
};

/** Filter: only entries about the entity with this id. */
export const entityIdFilter = {
  ...entryField('entityId', { required: false }),
  helpText: `Only entries about the entity with exactly this ${entryFieldLabel('entityId')}, e.g. \`inv_123\`. Leave empty for any.`,
};

/** The filters of both New Log Entry triggers. */
export const triggerFilters = [actorFilter, actionFilter, entityTypeFilter, entityIdFilter] as const;
