/**
 * The wire contract of the audit-trail API, in one place: the shapes that cross the wire (TypeBox schemas that
 * give the types, the validators and the OpenAPI components), paths, headers, limits, error codes, request
 * encoding, entry validation and the hash recipe. The SDK client, the Zapier app and the reference server all
 * import it from here (`@audit-trail/sdk/contract`); nothing else declares these shapes.
 *
 * @packageDocumentation
 */
export * from './schemas.js';
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
