#!/usr/bin/env node
'use strict';
/**
 * Packaging check of every publishable package (CI runs it from .ci/run; `npm run check:packages`):
 *
 * 1. `npm pack` @audit-trail/sdk and @audit-trail/server;
 * 2. `@arethetypeswrong/cli` and `publint` on each tarball: any problem fails;
 * 3. the SDK tarball installed into an empty project by the machine's Node 20 with `--engine-strict`: no engine
 *    warning, at most MAX_SDK_PACKAGES packages; CJS require, ESM named import, and `tsc` under node16, nodenext,
 *    bundler and commonjs resolution;
 * 4. the server tarball (with the SDK's) installed on Node 22 (it needs node:sqlite, Node >= 22.5): the same
 *    smoke, its `audit-trail` bin answering --help, and the bin on Node 20 printing a clear error instead of a crash.
 *
 * Needs the npm registry (the tarballs' dependencies) and nothing else. Prints the figures the README quotes.
 * Node 20 is `SYSTEM_NODE`, or the first v20 among /usr/bin/node, /usr/local/bin/node and `which -a node`.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const repo = path.join(__dirname, '..');
const MAX_SDK_PACKAGES = 35;
const npmCli = require('./lib/npm-cli.cjs').npmCli();
const tsc = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc');

const failures = [];
const fail = (message) => {
  failures.push(message);
  process.stderr.write(`  FAIL ${message}\n`);
};
const ok = (message) => process.stderr.write(`  ok   ${message}\n`);

/** Runs a command; resolves with { status, stdout, stderr, output } (the SDK and server checks run side by side). */
function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr, output: `${stdout}${stderr}` }));
  });
}

async function findNode20() {
  const candidates = [process.env.SYSTEM_NODE, '/usr/bin/node', '/usr/local/bin/node'];
  const which = await run('which', ['-a', 'node']);
  candidates.push(...which.stdout.split('\n'));
  for (const candidate of candidates.filter(Boolean)) {
    if (!fs.existsSync(candidate)) continue;
    const version = (await run(candidate, ['--version'])).stdout.trim();
    if (version.startsWith('v20.')) return { node: candidate, version };
  }
  throw new Error('No Node 20 on this machine (set SYSTEM_NODE): the SDK promises Node >= 20 and is checked there.');
}

async function pack(workspace, destination) {
  const result = await run(process.execPath, [npmCli, 'pack', '--json', '--pack-destination', destination, '-w', workspace], {
    cwd: repo,
  });
  if (result.status !== 0) throw new Error(`npm pack -w ${workspace} failed:\n${result.output}`);
  const [info] = JSON.parse(result.stdout.slice(result.stdout.indexOf('[')));
  return { tarball: path.join(destination, info.filename), files: info.files.map((file) => file.path), size: info.size, unpackedSize: info.unpackedSize };
}

async function lint(name, tarball) {
  const attw = await run(process.execPath, [path.join(repo, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js'), tarball, '--format', 'table-flipped'], { cwd: repo });
  if (attw.status === 0 && /No problems found/.test(attw.stdout)) ok(`${name}: attw finds no problem`);
  else fail(`${name}: attw reports problems:\n${attw.output}`);
  const unpacked = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-trail-publint-'));
  try {
    await run('tar', ['-xzf', tarball, '-C', unpacked]);
    const publint = await run(process.execPath, [path.join(repo, 'node_modules', 'publint', 'src', 'cli.js'), path.join(unpacked, 'package'), '--strict', '--pack', 'false'], { cwd: repo });
    const quiet = /All good!/.test(publint.output) && !/Suggestions?:|Warnings?:|Errors?:/.test(publint.output);
    if (publint.status === 0 && quiet) ok(`${name}: publint reports nothing`);
    else fail(`${name}: publint reports:\n${publint.output}`);
  } finally {
    fs.rmSync(unpacked, { recursive: true, force: true });
  }
}

/** npm install into a new empty project, with `node` running npm (so engine checks see that Node). */
async function scratchInstall(node, tarballs) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-trail-scratch-'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', private: true }, null, 2));
  const install = await run(node, [npmCli, 'install', '--engine-strict', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=warn', ...tarballs], {
    cwd: dir,
    env: { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}` },
  });
  return { dir, install };
}

function countPackages(dir) {
  const lock = JSON.parse(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));
  return Object.keys(lock.packages).filter((key) => key !== '').length;
}

function diskBytes(dir) {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/** CJS require and ESM named import of each entry point, plus a behaviour check, on `node`. */
async function smokeRuntime(node, dir, label, cjs, esm) {
  const required = await run(node, ['-e', cjs], { cwd: dir });
  if (required.status === 0) ok(`${label}: CJS require (${required.stdout.trim()})`);
  else fail(`${label}: CJS require failed:\n${required.output}`);
  const imported = await run(node, ['--input-type=module', '-e', esm], { cwd: dir });
  if (imported.status === 0) ok(`${label}: ESM named import (${imported.stdout.trim()})`);
  else fail(`${label}: ESM named import failed:\n${imported.output}`);
}

/** `tsc --noEmit` of the smoke sources under each module resolution a user may have. */
async function smokeTypes(node, dir, label, cts, mts) {
  fs.writeFileSync(path.join(dir, 'smoke.ts'), cts);
  fs.writeFileSync(path.join(dir, 'smoke.mts'), mts);
  const settings = [
    { name: 'node16', module: 'node16', moduleResolution: 'node16', files: ['smoke.ts', 'smoke.mts'] },
    { name: 'nodenext', module: 'nodenext', moduleResolution: 'nodenext', files: ['smoke.ts', 'smoke.mts'] },
    { name: 'bundler', module: 'esnext', moduleResolution: 'bundler', files: ['smoke.ts'] },
    { name: 'commonjs', module: 'commonjs', moduleResolution: 'node10', files: ['smoke.ts'] },
  ];
  for (const setting of settings) {
    const config = path.join(dir, `tsconfig.${setting.name}.json`);
    fs.writeFileSync(
      config,
      JSON.stringify({
        compilerOptions: {
          module: setting.module,
          moduleResolution: setting.moduleResolution,
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          esModuleInterop: true,
          types: ['node'],
          typeRoots: [path.join(repo, 'node_modules', '@types')],
        },
        files: setting.files,
      }),
    );
    const checked = await run(node, [tsc, '-p', config], { cwd: dir });
    if (checked.status === 0) ok(`${label}: tsc, ${setting.name} resolution`);
    else fail(`${label}: tsc under ${setting.name} resolution:\n${checked.output}`);
  }
}

const SDK_CJS = `
const assert = require('node:assert');
const sdk = require('@audit-trail/sdk');
const contract = require('@audit-trail/sdk/contract');
assert.equal(typeof sdk.AuditTrailClient, 'function');
assert.equal(sdk.validateEntry({ actorId: 'ada', action: 'LOGIN' }), undefined);
assert.equal(sdk.validateEntry({ action: 'LOGIN' }).code, 'missing_field');
assert.equal(contract.EntrySchema.properties.actorId.title, 'Actor ID');
assert.equal(sdk.verifyChain([]).valid, true);
process.stdout.write('AuditTrailClient, validateEntry, EntrySchema, verifyChain on ' + process.version);
`;
const SDK_ESM = `
import assert from 'node:assert';
import { AuditTrailClient, ValidationError, validateEntry, LIMITS } from '@audit-trail/sdk';
import { EntrySchema, serializeEntry, PATHS } from '@audit-trail/sdk/contract';
assert.equal(typeof AuditTrailClient, 'function');
assert.equal(typeof ValidationError, 'function');
assert.equal(validateEntry({ actorId: 'ada', action: 'x'.repeat(LIMITS.action + 1) }).code, 'field_too_long');
assert.equal(serializeEntry({ actorId: 'ada', action: 'LOGIN' }).json, '{"actorId":"ada","action":"LOGIN"}');
assert.equal(PATHS.batch, '/api/log/batch');
assert.equal(EntrySchema.type, 'object');
process.stdout.write('named imports from both entry points on ' + process.version);
`;
const SDK_TS = `
import { AuditTrailClient, ValidationError, isValidationError, type ClientOptions, type Entry } from '@audit-trail/sdk';
import { EntrySchema, serializeEntry, type StoredEntry } from '@audit-trail/sdk/contract';
const options: ClientOptions = { baseUrl: 'http://127.0.0.1:1', organizationId: 'o', apiSecret: 's', applicationId: 'a' };
const entry: Entry = { actorId: 'ada', action: 'LOGIN' };
export async function use(): Promise<string | undefined> {
  const client = new AuditTrailClient(options);
  const receipt = await client.log(entry);
  const stored: StoredEntry | undefined = undefined;
  const title: string | undefined = EntrySchema.properties.actorId.title;
  const error: unknown = new ValidationError('x', { code: 'invalid_field', field: 'actorId' });
  return isValidationError(error) ? title : receipt.hash + String(stored) + JSON.stringify(serializeEntry(entry));
}
`;

async function checkSdk(node20, sdkPack) {
  process.stderr.write(`\n@audit-trail/sdk (${sdkPack.files.length} files, ${(sdkPack.size / 1024).toFixed(1)} kB packed)\n`);
  await lint('sdk', sdkPack.tarball);
  const { dir, install } = await scratchInstall(node20.node, [sdkPack.tarball]);
  try {
    if (install.status !== 0) return fail(`sdk: npm install --engine-strict on Node ${node20.version} failed:\n${install.output}`);
    if (/EBADENGINE|Unsupported engine/i.test(install.output)) fail(`sdk: engine warning on Node ${node20.version}:\n${install.output}`);
    else ok(`sdk: npm install --engine-strict on Node ${node20.version}, no engine warning`);
    const packages = countPackages(dir);
    const bytes = diskBytes(path.join(dir, 'node_modules'));
    const figures = `${packages} packages, ${(bytes / 1e6).toFixed(1)} MB in node_modules`;
    if (packages <= MAX_SDK_PACKAGES) ok(`sdk: install brings ${figures} (limit ${MAX_SDK_PACKAGES} packages)`);
    else fail(`sdk: install brings ${figures}, more than ${MAX_SDK_PACKAGES} packages`);
    await smokeRuntime(node20.node, dir, 'sdk', SDK_CJS, SDK_ESM);
    await smokeTypes(node20.node, dir, 'sdk', SDK_TS, SDK_TS);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const SERVER_CJS = `
const assert = require('node:assert');
const server = require('@audit-trail/server');
assert.ok(Object.keys(server).length > 0);
process.stdout.write(Object.keys(server).sort().join(', ') + ' on ' + process.version);
`;
const SERVER_ESM = (names) => `
import * as server from '@audit-trail/server';
import { ${names.join(', ')} } from '@audit-trail/server';
for (const name of ${JSON.stringify(names)}) if (server[name] === undefined) throw new Error(name + ' missing');
process.stdout.write('${names.length} named imports on ' + process.version);
`;

async function checkServer(node20, sdkPack, serverPack) {
  process.stderr.write(`\n@audit-trail/server (${serverPack.files.length} files, ${(serverPack.size / 1024).toFixed(1)} kB packed)\n`);
  await lint('server', serverPack.tarball);
  // Its dependency @audit-trail/sdk is installed from its own tarball: the two are released together.
  const { dir, install } = await scratchInstall(process.execPath, [sdkPack.tarball, serverPack.tarball]);
  try {
    if (install.status !== 0) return fail(`server: npm install --engine-strict on Node ${process.version} failed:\n${install.output}`);
    if (/EBADENGINE|Unsupported engine/i.test(install.output)) fail(`server: engine warning on Node ${process.version}:\n${install.output}`);
    else ok(`server: npm install --engine-strict on Node ${process.version}, no engine warning (${countPackages(dir)} packages)`);
    const names = Object.keys(require(path.join(dir, 'node_modules', '@audit-trail', 'server'))).filter((name) => name !== 'default');
    await smokeRuntime(process.execPath, dir, 'server', SERVER_CJS, SERVER_ESM(names));
    const serverTs = `import * as server from '@audit-trail/server';\nexport const names: string[] = Object.keys(server);\n`;
    await smokeTypes(process.execPath, dir, 'server', serverTs, serverTs);
    const bin = path.join(dir, 'node_modules', '.bin', 'audit-trail');
    const help = await run(process.execPath, [bin, '--help'], { cwd: dir });
    if (help.status === 0 && /Usage: audit-trail/.test(help.stdout)) ok(`server: audit-trail --help on Node ${process.version}`);
    else fail(`server: audit-trail --help on Node ${process.version}:\n${help.output}`);
    const old = await run(node20.node, [bin, '--help'], { cwd: dir });
    if (old.status === 1 && /need Node\.js 22\.5 or later/.test(old.stderr) && !/ERR_|at .*\(/.test(old.stderr)) {
      ok(`server: audit-trail --help on Node ${node20.version} says it needs Node 22.5`);
    } else fail(`server: audit-trail on Node ${node20.version} did not explain the Node version:\n${old.output}`);
    const engines = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', '@audit-trail', 'server', 'package.json'), 'utf8')).engines;
    if (engines?.node === '>=22.5') ok('server: engines.node is >=22.5');
    else fail(`server: engines.node is ${engines?.node}, not >=22.5`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const node20 = await findNode20();
  const packs = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-trail-packs-'));
  try {
    const sdkPack = await pack('@audit-trail/sdk', packs);
    const serverPack = await pack('@audit-trail/server', packs);
    await Promise.all([checkSdk(node20, sdkPack), checkServer(node20, sdkPack, serverPack)]);
  } finally {
    fs.rmSync(packs, { recursive: true, force: true });
  }
  if (failures.length > 0) {
    process.stderr.write(`\ncheck-packages: ${failures.length} problem(s)\n`);
    process.exitCode = 1;
  } else process.stderr.write('\ncheck-packages: every publishable package packs, installs, loads and type-checks\n');
}

main().catch((error) => {
  process.stderr.write(`check-packages: ${error.stack ?? error}\n`);
  process.exitCode = 1;
});
