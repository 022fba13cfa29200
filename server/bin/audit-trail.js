#!/usr/bin/env node
'use strict';
// The compiled CLI (npm run build). Kept as plain JS so the bin works without a TypeScript toolchain.
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
