#!/usr/bin/env node
'use strict';
/**
 * Checks the Zapier build (`npm run zapier:build` runs it on build/build.zip): the zip holds the app, the parts of
 * @audit-trail/sdk it loads and their runtime dependencies, and nothing else. It fails on
 * - a file of the server, the bench, the SDK's sources or the tests;
 * - a package that is a dev dependency of the repository, or a dependency of only the server or the bench;
 * - the SDK's HTTP client (axios: the app makes its requests with z.request) or the SDK client itself;
 * - a missing entry point (zapierwrapper.js, index.js, definition.json, dist/index.js, the contract);
 * - a zip larger than MAX_BYTES.
 * Prints the size and the packages it holds. Usage: check-zapier-zip.cjs [path/to/build.zip]
 */
const fs = require('node:fs');
const path = require('node:path');
const AdmZip = require('adm-zip');

const repo = path.join(__dirname, '..');
const MAX_BYTES = 1.2e6;
const zipPath = path.resolve(process.argv[2] ?? path.join(repo, 'build', 'build.zip'));

const readJson = (file) => JSON.parse(fs.readFileSync(path.join(repo, file), 'utf8'));
const root = readJson('package.json');
const names = (manifest, field) => Object.keys(manifest[field] ?? {});

/** Packages the app must not ship: dev tooling, and what only the server or the bench needs. */
function forbiddenPackages() {
  const appRuntime = new Set(names(root, 'dependencies'));
  const sdkRuntime = new Set(names(readJson('sdk/package.json'), 'dependencies'));
  const forbidden = new Set([
    ...names(root, 'devDependencies'),
    ...names(root, 'optionalDependencies'),
    '@audit-trail/server',
    '@audit-trail/bench',
  ]);
  for (const workspace of ['server', 'bench']) {
    const manifest = readJson(`${workspace}/package.json`);
    for (const name of [...names(manifest, 'dependencies'), ...names(manifest, 'devDependencies')]) {
      if (!appRuntime.has(name) && !sdkRuntime.has(name)) forbidden.add(name);
    }
  }
  return forbidden;
}

/**
 * The packages reachable from the app's package.json through dependencies, optionalDependencies and
 * peerDependencies, read from the package.json files in the zip (matched by name: enough to tell a runtime
 * package from one that only a dev tool, the server or the bench would bring).
 */
function runtimeClosure(zip, entries) {
  const manifests = new Map();
  for (const entry of entries) {
    const name = packageOf(entry);
    if (name && entry.endsWith(`node_modules/${name}/package.json`)) {
      manifests.set(name, JSON.parse(zip.readAsText(entry)));
    }
  }
  const app = JSON.parse(zip.readAsText('package.json'));
  const reachable = new Set();
  const queue = [app];
  while (queue.length > 0) {
    const manifest = queue.pop();
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
      for (const name of Object.keys(manifest[field] ?? {})) {
        if (reachable.has(name)) continue;
        reachable.add(name);
        if (manifests.has(name)) queue.push(manifests.get(name));
      }
    }
  }
  return reachable;
}

/** `node_modules/<name>` or `node_modules/@scope/<name>` of a path in the zip, innermost. */
function packageOf(entry) {
  const parts = entry.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || at + 1 >= parts.length) return undefined;
  return parts[at + 1].startsWith('@') ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1];
}

function main() {
  if (!fs.existsSync(zipPath)) throw new Error(`${zipPath} does not exist: run npm run zapier:build`);
  const bytes = fs.statSync(zipPath).size;
  const entries = new AdmZip(zipPath).getEntries().map((entry) => entry.entryName);
  const problems = [];

  for (const required of ['zapierwrapper.js', 'index.js', 'definition.json', 'package.json', 'dist/index.js']) {
    if (!entries.includes(required)) problems.push(`missing ${required}`);
  }
  if (!entries.some((entry) => /node_modules\/@audit-trail\/sdk\/dist\/contract\/index\.js$/.test(entry))) {
    problems.push('missing the SDK contract (node_modules/@audit-trail/sdk/dist/contract/index.js)');
  }

  const zip = new AdmZip(zipPath);
  const reachable = runtimeClosure(zip, entries);
  const forbidden = forbiddenPackages();
  const packages = new Map();
  for (const entry of entries) {
    if (/^(server|bench|sdk|test|docs|scripts)\//.test(entry)) problems.push(`repository file that is not the app: ${entry}`);
    if (/\.ts$/.test(entry) && !/\.d\.ts$/.test(entry)) problems.push(`TypeScript source: ${entry}`);
    const name = packageOf(entry);
    if (!name) continue;
    packages.set(name, (packages.get(name) ?? 0) + 1);
    if (!reachable.has(name)) problems.push(`package no runtime dependency of the app leads to: ${entry}`);
    // A dev tool or a server/bench package may only appear as another runtime package's dependency, never as code.
    else if (forbidden.has(name) && !entry.endsWith('/package.json')) problems.push(`code of a package the app does not run: ${entry}`);
    // The app talks HTTP through z.request: neither the SDK client nor its HTTP stack may come along as code.
    if (name === 'axios' && !entry.endsWith('/package.json')) problems.push(`axios code (the app must not load it): ${entry}`);
    if (name === '@audit-trail/sdk' && /\/dist\/(client|index)\.js$/.test(entry)) problems.push(`SDK client code: ${entry}`);
  }

  if (bytes > MAX_BYTES) problems.push(`${bytes} bytes, more than ${MAX_BYTES}`);
  const summary = [...packages.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([name, count]) => `${name} (${count})`)
    .join(', ');
  process.stderr.write(
    `check-zapier-zip: ${path.relative(process.cwd(), zipPath)}: ${bytes} bytes (${(bytes / 1e6).toFixed(2)} MB, limit ${MAX_BYTES / 1e6} MB), ` +
      `${entries.length} files, ${packages.size} packages: ${summary}\n`,
  );
  if (problems.length > 0) {
    process.stderr.write(`check-zapier-zip: ${problems.length} problem(s):\n  ${problems.join('\n  ')}\n`);
    process.exitCode = 1;
  } else process.stderr.write('check-zapier-zip: only the app, the SDK contract it uses and their runtime dependencies\n');
}

main();
