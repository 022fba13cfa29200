/**
 * Where the help texts send a user to find a value (Zapier's check D002 wants auth field help to link to it). One
 * place for the public address of the documentation; test/app/definition.test.ts checks that every linked section
 * exists in docs/zapier.md.
 */

/** The published docs/zapier.md. */
export const ZAPIER_DOCS_URL = 'https://github.com/audit-trail/audit-trail/blob/main/docs/zapier.md';

/** A link to a section of docs/zapier.md, by its heading's anchor. */
export const docsLink = (anchor: string): string => `${ZAPIER_DOCS_URL}#${anchor}`;

/** The section that says where each connection value is found. */
export const CONNECTION_VALUES_ANCHOR = 'where-to-find-the-connection-values';
