'use strict';
// npm's JavaScript entry point, to run npm with a chosen Node (`node npm-cli.js …`): the npm running this script
// (npm_execpath, set by `npm run`), else the `npm` on PATH.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

function npmCli() {
  const fromNpm = process.env.npm_execpath;
  if (fromNpm && /npm-cli\.js$/.test(fromNpm)) return fromNpm;
  const bin = fs.realpathSync(execFileSync('which', ['npm'], { encoding: 'utf8' }).trim());
  return path.join(path.dirname(bin), 'npm-cli.js');
}

module.exports = { npmCli };
