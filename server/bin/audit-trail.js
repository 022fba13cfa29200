#!/usr/bin/env node
'use strict';
// The compiled CLI (npm run build). Kept as plain JS so the bin works without a TypeScript toolchain.

// The server stores entries with node:sqlite (Node >= 22.5). Say so plainly on older Node, before loading
// anything that would crash on the missing module, even for --help.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 5)) {
  process.stderr.write(
    `audit-trail: Node.js ${process.versions.node} is too old. The audit-trail server and CLI need Node.js 22.5 or later ` +
      '(they use the built-in node:sqlite). Install Node 22 (for example `nvm install 22`) and run the command again.\n',
  );
  process.exit(1);
}

const { main } = require('../dist/cli/main.js');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`audit-trail: ${error && error.message ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
