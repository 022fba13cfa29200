/**
 * The Audit Trail Zapier app: a table of contents. Each operation lives in its own file, named after its key;
 * shared building blocks are in zapier/, the wire contract in sdk/src/contract.
 */
import { defineApp } from './zapier/define.js';
import packageJson from './package.json';
import authentication from './authentication.js';
import { afters, befores } from './middleware.js';
import logEntry from './creates/log_entry.js';
import logEntries from './creates/log_entries.js';
import verifyAuditTrail from './creates/verify_audit_trail.js';
import findLogEntries from './searches/find_log_entries.js';
import findEntryById from './searches/find_entry_by_id.js';
import newLogEntry from './triggers/new_log_entry.js';
import newLogEntryInstant from './triggers/new_log_entry_instant.js';
import integrityAlert from './triggers/integrity_alert.js';
import applicationList from './triggers/application_list.js';
import recentActionList from './triggers/recent_action_list.js';
import recentEntryList from './triggers/recent_entry_list.js';

export default defineApp({
  version: packageJson.version,
  // The CLI insists on an exact core version in package.json, so this is the version Zapier loads.
  platformVersion: packageJson.dependencies['zapier-platform-core'],

  authentication,
  beforeRequest: [...befores],
  afterResponse: [...afters],
  flags: {
    // middleware.ts maps 429 itself (Retry-After as seconds or a date, a message a user understands).
    throwForThrottlingEarly: false,
    // Every request goes through z.request, which core logs anyway. Core's patch of http.request only handles
    // the (options, callback) form and breaks (url, options, callback) calls of code sharing the process, e.g.
    // the reference server's webhook delivery in the end-to-end tests.
    skipHttpPatch: true,
  },

  triggers: {
    [newLogEntry.key]: newLogEntry,
    [newLogEntryInstant.key]: newLogEntryInstant,
    [integrityAlert.key]: integrityAlert,
    // Hidden: they fill the Application, Action and Entry ID dropdowns.
    [applicationList.key]: applicationList,
    [recentActionList.key]: recentActionList,
    [recentEntryList.key]: recentEntryList,
  },
  searches: {
    [findLogEntries.key]: findLogEntries,
    [findEntryById.key]: findEntryById,
  },
  creates: {
    [logEntry.key]: logEntry,
    [logEntries.key]: logEntries,
    [verifyAuditTrail.key]: verifyAuditTrail,
  },
  searchOrCreates: {
    [findLogEntries.key]: {
      key: findLogEntries.key,
      display: {
        label: 'Find or Log Entry',
        description: 'Finds an audit trail entry (e.g. by Idempotency Key) and logs it if it is not there yet.',
      },
      search: findLogEntries.key,
      create: logEntry.key,
    },
  },
});
