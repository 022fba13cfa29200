/**
 * zapier-platform-core's `define*` helpers without loading core's index, which pulls in about 350 modules
 * (0.4 s or more here) at `require` of the app. At run time they are the identity functions of core's
 * `src/typeHelpers.js` (a public subpath: core's package.json exports `./src/*`); their types are core's own.
 *
 * Zapier's runtime (zapierwrapper.js) loads core itself before it loads the app, so this saves nothing on
 * Zapier; it keeps the app's own cold start measurable and small for everything else that loads it (the CLI,
 * tests, `npm run bench`).
 */
import type * as core from 'zapier-platform-core';

type Helpers = Pick<typeof core, 'defineApp' | 'defineCreate' | 'defineInputField' | 'defineInputFields' | 'defineSearch' | 'defineTrigger'>;

const helpers = require('zapier-platform-core/src/typeHelpers') as Helpers;

export const { defineApp, defineCreate, defineInputField, defineInputFields, defineSearch, defineTrigger } = helpers;
