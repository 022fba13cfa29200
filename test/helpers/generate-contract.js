// jest globalSetup: jest runs the TypeScript sources, and the contract imports modules that the SDK's build
// generates from sdk/src/contract/schemas.ts. Regenerating them here means a test never runs on generated code
// older than the schemas (for example after pulling someone's schema change without rebuilding).
const { main } = require('../../sdk/scripts/generate-contract.cjs');

module.exports = async () => {
  main();
};
