/**
 * The `audit-trail` CLI end to end: the real bin/audit-trail.js, spawned with this Node (process.execPath).
 * The bin requires ../dist/cli/main.js, built by `npm run build` (which `npm test` runs first).
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { AuditTrailClient } from '../../sdk/src/index.js';
import { sqlite } from '../src/store/sqlite-module.js';
import { databasePath } from '../src/store/sqlite-store.js';

const run = promisify(execFile);
// The real bin on the compiled server (npm test builds every workspace first, through validate's _zapier-build).
const bin = resolve(__dirname, '../bin/audit-trail.js');
let workDir: string;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'audit-trail-cli-test-'));
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

type Env = Record<string, string>;
const CREDENTIAL_VARIABLES = ['AUDIT_TRAIL_ORGANIZATION_ID', 'AUDIT_TRAIL_API_SECRET', 'AUDIT_TRAIL_APPLICATION_ID'];

function baseEnv(extra: Env = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...extra };
  for (const name of [...CREDENTIAL_VARIABLES, 'AUDIT_TRAIL_BASE_URL', 'PORT', 'AUDIT_TRAIL_DATA_DIR']) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

async function cli(args: string[], env: Env): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: baseEnv(env), timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

interface Serving {
  child: ChildProcessWithoutNullStreams;
  /** The `export NAME=value` lines printed, as variables (plus AUDIT_TRAIL_BASE_URL). */
  env: Env;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

function unquote(value: string): string {
  return value.replace(/^'(.*)'$/, '$1').replace(/'\\''/g, "'");
}

async function serve(dataDir: string, env: Env = {}): Promise<Serving> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--data', dataDir], { env: baseEnv(env) });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  await new Promise<void>((ready, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (/listening on http:\/\/127\.0\.0\.1:\d+/.test(stdout)) ready();
    });
    child.on('exit', (code) => fail(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  // serve prints its start-up lines (credentials included) in the same write as the listening line.
  const vars: Env = {};
  for (const match of stdout.matchAll(/^export (AUDIT_TRAIL_[A-Z_]+)=(.*)$/gm)) vars[match[1] as string] = unquote(match[2] as string);
  vars['AUDIT_TRAIL_BASE_URL'] = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1] as string;
  return {
    child,
    env: vars,
    output: () => stdout,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      child.kill(signal);
      return exited;
    },
  };
}

describe('audit-trail CLI', () => {
  let dataDir: string;
  let server: Serving;

  beforeAll(async () => {
    dataDir = join(workDir, 'data-first-start');
    server = await serve(dataDir);
  }, 30_000);
  afterAll(async () => {
    await server.stop();
  });

  test('serve creates and prints credentials on first start, as pasteable export lines', () => {
    expect(server.output()).toContain('First start');
    for (const name of CREDENTIAL_VARIABLES) expect(server.env[name]).toMatch(/^\S+$/);
  });

  test('serve also saves the first-start credentials to <data>/credentials.env, readable by the owner only', () => {
    const file = join(dataDir, 'credentials.env');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved: Env = {};
    for (const match of readFileSync(file, 'utf8').matchAll(/^export (AUDIT_TRAIL_[A-Z_]+)=(.*)$/gm)) saved[match[1] as string] = unquote(match[2] as string);
    expect(saved).toEqual(server.env);
  });

  test('log records entries (JSON object details, text details, entity flags) and prints the receipt', async () => {
    const json = await cli(['log', 'alice', 'LOGIN', '{"browser":"firefox"}'], server.env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ sequence: 1, logEntryId: expect.any(String), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const text = await cli(['log', 'bob', 'EDIT', 'changed the title', '--entity-type', 'doc', '--entity-id', 'd 1'], server.env);
    expect(text.code).toBe(0);
    expect(JSON.parse(text.stdout)).toMatchObject({ sequence: 2 });
  }, 30_000);

  test('tail prints the newest entries, oldest first', async () => {
    const tail = await cli(['tail', '--limit', '5'], server.env);
    expect(tail.code).toBe(0);
    const lines = tail.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^#1 \S+ alice LOGIN \{"browser":"firefox"\}$/);
    expect(lines[1]).toMatch(/^#2 \S+ bob EDIT doc\/d 1 changed the title$/);
    const asJson = await cli(['tail', '--json', '--limit', '1'], server.env);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ sequence: 2, details: 'changed the title' });
  }, 30_000);

  test('verify exits 0 on an intact chain, on the server and locally', async () => {
    const verified = await cli(['verify'], server.env);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('Chain valid: 2 entries checked');
    expect((await cli(['verify', '--local'], server.env)).code).toBe(0);
  }, 30_000);

  test('tail --follow prints entries as they arrive and stops on SIGINT', async () => {
    const child = spawn(process.execPath, [bin, 'tail', '--follow', '--limit', '1', '--interval', '100'], { env: baseEnv(server.env) });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const waitFor = async (pattern: RegExp) => {
      for (let i = 0; i < 100 && !pattern.test(out); i += 1) await new Promise((done) => setTimeout(done, 50));
      expect(out).toMatch(pattern);
    };
    await waitFor(/^#2 /m);
    expect((await cli(['log', 'carol', 'FOLLOWED'], server.env)).code).toBe(0);
    await waitFor(/^#3 \S+ carol FOLLOWED$/m);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 30_000);

  test('verify exits 1 and names the entry after someone edits the database', async () => {
    const db = new sqlite.DatabaseSync(databasePath(dataDir));
    const row = db.prepare('SELECT id FROM entries WHERE sequence = 2').get() as { id: string };
    db.prepare('UPDATE entries SET details = ? WHERE id = ?').run(JSON.stringify('rewritten history'), row.id);
    db.close();
    const verified = await cli(['verify'], server.env);
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain(`Chain INVALID at entry ${row.id} (sequence 2)`);
    const local = await cli(['verify', '--local'], server.env);
    expect(local.code).toBe(1);
    expect(local.stdout).toContain(row.id);
  }, 30_000);

  test('usage mistakes exit 2 with a message; wrong credentials exit 1 without echoing the secret', async () => {
    const unknown = await cli(['frobnicate'], server.env);
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining('unknown command "frobnicate"')]);
    expect((await cli(['log', 'only-actor'], server.env)).code).toBe(2);
    expect((await cli(['tail', '--limit', 'lots'], server.env)).code).toBe(2);
    expect((await cli(['verify', '--nope'], server.env)).code).toBe(2);
    // Details that look like JSON but are not are refused, not stored as text (the Zapier app's rule).
    const malformed = await cli(['log', 'ada', 'REFUND', '{"amount": 5,}'], server.env);
    expect([malformed.code, malformed.stderr]).toEqual([2, expect.stringContaining('look like JSON but do not parse')]);
    const missing = await cli(['verify'], { AUDIT_TRAIL_BASE_URL: server.env['AUDIT_TRAIL_BASE_URL'] as string });
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('AUDIT_TRAIL_API_SECRET')]);
    const wrong = await cli(['verify'], { ...server.env, AUDIT_TRAIL_API_SECRET: 'not-the-secret-xyz' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr + wrong.stdout).not.toContain('not-the-secret-xyz');
  }, 30_000);
});

describe('audit-trail checkpoint and verify --local --state', () => {
  test('print the verified checkpoint, then refuse a trail truncated with its head moved back', async () => {
    const dataDir = join(workDir, 'data-checkpoints');
    const server = await serve(dataDir);
    try {
      const verifierKey = /Checkpoint verifier key: (\S+)/.exec(server.output())?.[1] as string;
      expect(verifierKey).toMatch(/^audit-trail\.local\+[0-9a-f]{8}\+/);
      const env: Env = { ...server.env, AUDIT_TRAIL_VERIFIER_KEY: verifierKey };
      const state = join(workDir, 'checkpoints.json');
      // Entries are written in process (a CLI call per entry costs seconds on a loaded machine); the CLI reads them.
      const writer = new AuditTrailClient({
        baseUrl: env['AUDIT_TRAIL_BASE_URL'] as string,
        organizationId: env['AUDIT_TRAIL_ORGANIZATION_ID'] as string,
        apiSecret: env['AUDIT_TRAIL_API_SECRET'] as string,
        applicationId: env['AUDIT_TRAIL_APPLICATION_ID'] as string,
      });
      await writer.logBatch(['ONE', 'TWO', 'THREE'].map((action) => ({ actorId: 'ada', action })));
      await writer.close();
      const checkpoint = await cli(['checkpoint', '--state', state], env);
      expect(checkpoint.code).toBe(0);
      expect(checkpoint.stdout).toMatch(/^audit-trail\.local\/app\/\S+\n3\n\S+=\n\n— audit-trail\.local \S+\n\nVerified: 3 entries \(key /);
      const local = await cli(['verify', '--local', '--state', state], env);
      expect(local.code).toBe(0);
      expect(local.stdout).toContain('Tree valid: 3 entries');

      // Someone removes the newest entry and moves the head back, with every hash (and the tree) consistent.
      const db = new sqlite.DatabaseSync(databasePath(dataDir));
      try {
        const app = env['AUDIT_TRAIL_APPLICATION_ID'] as string;
        const second = db.prepare('SELECT hash FROM entries WHERE app = (SELECT position FROM applications WHERE id = ?) AND sequence = 2').get(app) as { hash: string };
        db.prepare('DELETE FROM entries WHERE app = (SELECT position FROM applications WHERE id = ?) AND sequence = 3').run(app);
        db.prepare('UPDATE applications SET head_sequence = 2, head_hash = ? WHERE id = ?').run(second.hash, app);
        db.prepare('DELETE FROM tree_nodes WHERE application_id = ?').run(app);
      } finally {
        db.close();
      }
      expect((await cli(['verify'], env)).code).toBe(0);
      const refused = await cli(['checkpoint', '--state', state], env);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toContain('Checkpoint REFUSED (tree_truncated)');
      const tree = await cli(['verify', '--local', '--state', state], env);
      expect(tree.code).toBe(1);
      expect(tree.stdout).toContain('Tree INVALID (tree_truncated)');
    } finally {
      await server.stop();
    }
  }, 150_000);
});

describe('audit-trail serve with credentials in the environment', () => {
  test('seeds exactly those credentials, prints no new ones, and does so again on restart', async () => {
    const dataDir = join(workDir, 'data-seeded');
    const credentials = {
      AUDIT_TRAIL_ORGANIZATION_ID: 'org_from_env',
      AUDIT_TRAIL_API_SECRET: "s3cret with spaces & 'quotes'",
      AUDIT_TRAIL_APPLICATION_ID: 'app_from_env',
    };
    for (const round of [1, 2]) {
      const server = await serve(dataDir, credentials);
      try {
        expect(server.output()).not.toContain('export AUDIT_TRAIL_API_SECRET');
        const env = { ...credentials, AUDIT_TRAIL_BASE_URL: server.env['AUDIT_TRAIL_BASE_URL'] as string };
        const logged = await cli(['log', 'seeded', `ROUND_${round}`], env);
        expect(logged.code).toBe(0);
        expect(JSON.parse(logged.stdout)).toMatchObject({ sequence: round });
      } finally {
        expect(await server.stop('SIGINT')).toBe(0);
      }
    }
  }, 60_000);

  test('refuses to start when only some credential variables are set', async () => {
    const result = await cli(['serve', '--port', '0', '--data', join(workDir, 'data-partial')], { AUDIT_TRAIL_ORGANIZATION_ID: 'org_x' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing: AUDIT_TRAIL_API_SECRET, AUDIT_TRAIL_APPLICATION_ID');
  }, 30_000);
});
