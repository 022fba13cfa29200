/**
 * What `require` loads, on the compiled packages (npm run build): the SDK, its contract and the Zapier app must not
 * load TypeBox (the build generated its schemas and validator, sdk/scripts/generate-contract.cjs), axios (loaded by
 * the SDK on its first request) or zapier-platform-core's index (Zapier's runtime loads it; the app only takes the
 * define helpers). `npm run bench -- cold-start` times the same requires beside posthog-node and Segment.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Runs `script` in a fresh Node at the repository root; returns what it printed as JSON. */
function inFreshNode<T>(script: string): T {
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' })) as T;
}

const LOADED = `
const countLoaded = (part) => Object.keys(require.cache).filter((file) => file.includes(part)).length;
const report = () => ({ typebox: countLoaded('/@sinclair/typebox/'), axios: countLoaded('/node_modules/axios/'),
  core: countLoaded('/zapier-platform-core/') - countLoaded('/zapier-platform-core/src/typeHelpers'), files: Object.keys(require.cache).length });
`;

interface Loaded {
  typebox: number;
  axios: number;
  core: number;
  files: number;
}

describe('cold start: what require loads', () => {
  it('the SDK loads neither TypeBox nor axios, also when a client is created and an entry validated', () => {
    const result = inFreshNode<{ atRequire: Loaded; afterUse: Loaded }>(`${LOADED}
      const { AuditTrailClient, validateEntry } = require('@audit-trail/sdk');
      const atRequire = report();
      const client = new AuditTrailClient({ baseUrl: 'http://127.0.0.1:9', organizationId: 'o', apiSecret: 's', applicationId: 'a' });
      if (validateEntry({ actorId: 'ada', action: 'LOGIN' }) !== undefined) throw new Error('valid entry rejected');
      client.close();
      process.stdout.write(JSON.stringify({ atRequire, afterUse: report() }));`);
    expect(result.atRequire).toMatchObject({ typebox: 0, axios: 0 });
    expect(result.afterUse).toMatchObject({ typebox: 0, axios: 0 });
  });

  it('an invalid entry loads TypeBox to explain itself, with the field named', () => {
    const result = inFreshNode<{ issue: { code: string; field: string }; loaded: Loaded }>(`${LOADED}
      const { validateEntry } = require('@audit-trail/sdk');
      const issue = validateEntry({ actorId: 'ada', action: 'x'.repeat(500) });
      process.stdout.write(JSON.stringify({ issue, loaded: report() }));`);
    expect(result.issue).toMatchObject({ code: 'field_too_long', field: 'action' });
    expect(result.loaded.typebox).toBeGreaterThan(0);
  });

  it('the contract loads neither TypeBox nor axios, and its schemas are TypeBox schemas', () => {
    const result = inFreshNode<{ loaded: Loaded; checks: boolean }>(`${LOADED}
      const { EntrySchema } = require('@audit-trail/sdk/contract');
      const loaded = report();
      const { TypeCompiler } = require('@sinclair/typebox/compiler');
      process.stdout.write(JSON.stringify({ loaded, checks: TypeCompiler.Compile(EntrySchema).Check({ actorId: 'a', action: 'b' }) }));`);
    expect(result.loaded).toMatchObject({ typebox: 0, axios: 0 });
    expect(result.checks).toBe(true);
  });

  it('the Zapier app loads neither TypeBox, axios nor the index of zapier-platform-core', () => {
    const result = inFreshNode<{ loaded: Loaded; platformVersion: string; core: string }>(`${LOADED}
      const app = require('./index.js');
      const loaded = report();
      process.stdout.write(JSON.stringify({ loaded, platformVersion: app.platformVersion, core: require('zapier-platform-core').version }));`);
    expect(result.loaded).toMatchObject({ typebox: 0, axios: 0, core: 0 });
    expect(result.platformVersion).toBe(result.core);
  });
});
