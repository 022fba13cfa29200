'use strict';
// Preloaded into npm itself (`node --require fake-platform.cjs npm-cli.js ...`) so that npm believes it runs on
// another OS and CPU. npm's `--os`/`--cpu` flags only decide which optional packages to fetch; npm's platform
// check of every other package reads process.platform/arch, which is what a contributor on macOS or Windows has.
const platform = process.env.FAKE_PLATFORM;
const arch = process.env.FAKE_ARCH;
if (platform) Object.defineProperty(process, 'platform', { value: platform, enumerable: true });
if (arch) Object.defineProperty(process, 'arch', { value: arch, enumerable: true });
