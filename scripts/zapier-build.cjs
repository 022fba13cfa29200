#!/usr/bin/env node
'use strict';
/**
 * `npm run zapier:build`: the Zapier CLI's default build (`zapier-platform build --skip-validation`: copy the
 * project to a temporary directory, `npm install --production` there, trace the files the app loads, zip them)
 * on a standalone copy of the app, then build/build.zip and build/source.zip in the repository.
 *
 * Why a copy: run in the repository root, the CLI copies every installed package of all workspaces at once and
 * fails with EMFILE (zapier/zapier-platform#820), and in a workspace root `npm install --production` would install
 * the server's dependencies too. The copy holds what Zapier gets: package.json (the app's runtime dependencies
 * only), index.js, the compiled app (dist/), .zapierapprc, .gitignore, and @audit-trail/sdk as the tarball
 * `npm pack` makes (what npm would install once it is published).
 *
 * Needs `npm run build` first, Node 22 and the npm registry. `--keep` leaves the copy in place and prints it.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const AdmZip = require('adm-zip');
const { npmCli } = require('./lib/npm-cli.cjs');

const repo = path.join(__dirname, '..');
const cli = path.join(repo, 'node_modules', 'zapier-platform-cli', 'src', 'bin', 'run');

function run(command, args, options) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}`);
  return result;
}

/** What the CLI's "Testing build" step does, with a 60 s timeout instead of 5 s. */
function testZip(zip) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-trail-zapier-zip-'));
  try {
    new AdmZip(zip).extractAllTo(dir, true);
    for (const entry of ['zapierwrapper.js', 'index.js']) run(process.execPath, [entry], { cwd: dir, timeout: 60_000 });
    process.stderr.write('zapier:build: the zip loads (zapierwrapper.js and index.js, 60 s timeout)\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function main() {
  if (!fs.existsSync(path.join(repo, 'dist', 'index.js'))) throw new Error('dist/index.js is missing: run npm run build first');
  const root = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
  const app = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-trail-zapier-app-'));
  try {
    const vendor = path.join(app, 'vendor');
    fs.mkdirSync(vendor);
    const packed = spawnSync(process.execPath, [npmCli(), 'pack', '--json', '--pack-destination', vendor, '-w', '@audit-trail/sdk'], {
      cwd: repo,
      encoding: 'utf8',
    });
    if (packed.status !== 0) throw new Error(`npm pack -w @audit-trail/sdk failed:\n${packed.stderr}`);
    const [{ filename }] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')));

    const dependencies = { ...root.dependencies, '@audit-trail/sdk': `file:vendor/${filename}` };
    const manifest = {
      name: root.name,
      version: root.version,
      description: root.description,
      license: root.license,
      private: true,
      main: root.main,
      engines: root.engines,
      dependencies,
    };
    fs.writeFileSync(path.join(app, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    for (const file of ['index.js', '.zapierapprc', '.gitignore']) fs.copyFileSync(path.join(repo, file), path.join(app, file));
    fs.cpSync(path.join(repo, 'dist'), path.join(app, 'dist'), { recursive: true });

    // The CLI refuses to start without zapier-platform-core installed in the app; this install also writes the
    // package-lock.json that the CLI's own `npm install --production` in its temporary copy then follows.
    run(process.execPath, [npmCli(), 'install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=warn'], { cwd: app });
    const build = spawnSync(process.execPath, [cli, 'build', '--skip-validation'], {
      cwd: app,
      env: { ...process.env, DISABLE_ZAPIER_ANALYTICS: '1' },
      encoding: 'utf8',
    });
    process.stderr.write(`${build.stdout}${build.stderr}`);
    if (build.status !== 0) {
      // The CLI's last step test-runs the zip (`node zapierwrapper.js`, `node index.js` in an unzipped copy) with a
      // 5 s timeout, which loading zapier-platform-core alone can exceed on a loaded shared machine. When that is
      // the step that failed, the same test is repeated here with a longer timeout; any other failure stands.
      const zip = path.join(app, 'build', 'build.zip');
      if (!/Testing build\s*\n[^-]*Error/.test(`${build.stdout}${build.stderr}`) || !fs.existsSync(zip)) {
        throw new Error(`zapier-platform build --skip-validation exited with ${build.status}`);
      }
      testZip(zip);
    }

    const out = path.join(repo, 'build');
    fs.mkdirSync(out, { recursive: true });
    for (const zip of ['build.zip', 'source.zip']) fs.copyFileSync(path.join(app, 'build', zip), path.join(out, zip));
    process.stderr.write(`zapier:build: ${path.relative(process.cwd(), path.join(out, 'build.zip'))} (${fs.statSync(path.join(out, 'build.zip')).size} bytes)\n`);
  } finally {
    if (process.argv.includes('--keep')) process.stderr.write(`zapier:build: app copy kept in ${app}\n`);
    else fs.rmSync(app, { recursive: true, force: true });
  }
}

main();
