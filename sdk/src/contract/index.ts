/**
 * The wire contract of the audit-trail API, in one place: the shapes that cross the wire (TypeBox schemas that
 * give the types, the validators and the OpenAPI components), paths, headers, limits, error codes, request
 * encoding, entry validation and the hash recipe. The SDK client, the Zapier app and the reference server all
 * import it from here (`@audit-trail/sdk/contract`); nothing else declares these shapes.
 *
 * The schemas are exported from their build-time copy (generated/schemas.ts, made from schemas.ts by
 * `npm run build`): the same TypeBox schema objects, without loading TypeBox, so this entry point stays cheap
 * for the Zapier app's cold start. schemas.ts remains the one place to change a shape.
 *
 * @packageDocumentation
 */
export * from './generated/schemas.js';
export { ERROR_STATUS } from './error-codes.js';
export * from './wire.js';
export * from './validation.js';
export * from './query-validation.js';
export * from './error-body.js';
export * from './base-url.js';
export * from './details-text.js';
export * from './chain.js';
export * from './idempotency.js';
export * from './json-text.js';
export * from './merkle.js';
export * from './note.js';
export * from '../ids.js';
export * from '../errors.js';
