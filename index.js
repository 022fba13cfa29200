// Zapier's runtime loads the app from the package root (`createAppHandler(<root>/index.js)`);
// the TypeScript app definition is compiled to dist/ by `npm run build`.
module.exports = require('./dist/index.js').default;
