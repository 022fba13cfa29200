/**
 * Jest global setup (jest takes one): regenerate the contract's generated modules, then start the run's PostgreSQL.
 * Both steps live in their own modules; this file only orders them.
 */
import { createRequire } from 'node:module';
import postgresSetup from './postgres/global-setup.mjs';

const require = createRequire(import.meta.url);
const generateContract = require('./generate-contract.js');

export default async function globalSetup() {
  await generateContract();
  await postgresSetup();
}
