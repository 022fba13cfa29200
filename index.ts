/**
 * The Audit Trail Zapier app: a table of contents. Each operation lives in its own file, named after its key;
 * shared building blocks are in lib/, the wire contract in sdk/.
 */
import zapier, { defineApp } from 'zapier-platform-core';
import packageJson from './package.json';
import authentication from './authentication.js';
import { afters, befores } from './middleware.js';
import logEntry from './creates/log_entry.js';

export default defineApp({
  version: packageJson.version,
  platformVersion: zapier.version,

  authentication,
  beforeRequest: [...befores],
  afterResponse: [...afters],
  // middleware.ts maps 429 itself (Retry-After as seconds or a date, a message a user understands).
  flags: { throwForThrottlingEarly: false },

  triggers: {},
  searches: {},
  creates: {
    [logEntry.key]: logEntry,
  },
});
