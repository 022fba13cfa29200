/**
 * TypeBox's error walker, loaded on the first invalid value only. Valid values are checked by the validators
 * generated at build time (generated/validators.ts), so loading the SDK, the contract or the Zapier app never
 * pays for TypeBox (about 200 modules); only explaining a rejection does, once per process.
 */
export type TypeBoxErrors = typeof import('@sinclair/typebox/errors');

let loaded: TypeBoxErrors | undefined;

/** `@sinclair/typebox/errors`, required on first use. */
export function typeBoxErrors(): TypeBoxErrors {
  loaded ??= require('@sinclair/typebox/errors') as TypeBoxErrors;
  return loaded;
}
