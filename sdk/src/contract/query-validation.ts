/**
 * The one check of the read queries (`GET /api/entries`, `GET /api/verification/chain`): the SDK runs it before
 * sending, the server after Fastify has parsed the query string, the Zapier search before asking. The schemas
 * ({@link ListQuerySchema}, {@link VerifyQuerySchema}) say the shape; this module adds what a schema cannot say
 * (real calendar dates, `fromSequence` ≤ `toSequence`) and words every problem the same way everywhere.
 */
import type { TSchema } from '@sinclair/typebox';
import type { ErrorCode } from './error-codes.js';
import { ListQuerySchema, VerifyQuerySchema } from './generated/schemas.js';
import { checkListQuery, checkVerifyQuery } from './generated/validators.js';
import { LIMITS } from './limits.js';
import type { ListQuery, VerifyQuery } from './schemas.js';
import { typeBoxErrors } from './typebox-errors.js';
import { isIsoDateTime } from './validation.js';

/** A problem with a query: the parameter at fault, a stable code and a message that starts with its name. */
export interface QueryIssue {
  /** A stable, machine-readable code. */
  code: ErrorCode;
  /** The query parameter at fault (`query` when the query as a whole is wrong). */
  field: string;
  /** A human-readable explanation, e.g. `from must be an ISO-8601 date-time with a time zone, ...`. */
  message: string;
}

const ISO_RULE = 'an ISO-8601 date-time with a time zone, e.g. 2026-01-31T12:00:00Z';

/** What each query parameter must be, in words: the messages of the SDK, the server and the app use these. */
export const QUERY_PARAMETER_RULES: Readonly<Record<string, string>> = {
  actorId: 'non-empty text',
  action: 'non-empty text',
  entityType: 'non-empty text',
  entityId: 'non-empty text',
  idempotencyKey: 'non-empty text',
  cursor: 'non-empty text',
  from: ISO_RULE,
  to: ISO_RULE,
  limit: `an integer from 1 to ${LIMITS.pageSize}`,
  order: '"asc" or "desc"',
  fromSequence: 'a positive integer',
  toSequence: 'a positive integer',
};

/** `<name> must be <rule>`, the wording of a malformed query parameter. */
export function queryParameterMessage(name: string, fallback = 'is invalid'): string {
  const rule = QUERY_PARAMETER_RULES[name];
  return rule === undefined ? `${name} ${fallback}` : `${name} must be ${rule}`;
}

/** The first problem of a query with its schema; the check is generated at build time (generated/validators.ts). */
function schemaIssue(check: (value: unknown) => boolean, schema: TSchema, value: unknown, unknownKey: string): QueryIssue | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { code: 'invalid_field', field: 'query', message: 'query must be an object' };
  }
  if (check(value)) return undefined;
  const { Errors, ValueErrorType } = typeBoxErrors();
  const error = Errors(schema, value).First();
  const field = error?.path.split('/').filter(Boolean)[0] ?? 'query';
  switch (error?.type) {
    case ValueErrorType.ObjectAdditionalProperties:
      return { code: 'invalid_field', field, message: `${field} ${unknownKey}` };
    case ValueErrorType.StringMaxLength:
      return { code: 'field_too_long', field, message: `${field} must be at most ${(error.schema as unknown as { maxLength: number }).maxLength} characters` };
    default:
      return { code: 'invalid_field', field, message: queryParameterMessage(field) };
  }
}

/** Checks the filters and paging of `GET /api/entries`; the first issue, or `undefined` when the query is valid. */
export function listQueryIssue(query: unknown): QueryIssue | undefined {
  const issue = schemaIssue(checkListQuery, ListQuerySchema, query, 'is not a filter of the entry list');
  if (issue) return issue;
  for (const field of ['from', 'to'] as const) {
    const value = (query as ListQuery)[field];
    if (value !== undefined && !isIsoDateTime(value)) return { code: 'invalid_field', field, message: queryParameterMessage(field) };
  }
  return undefined;
}

/** Checks the range of `GET /api/verification/chain`; the first issue, or `undefined` when the query is valid. */
export function verifyQueryIssue(query: unknown): QueryIssue | undefined {
  const issue = schemaIssue(checkVerifyQuery, VerifyQuerySchema, query, 'is not an option of verification');
  if (issue) return issue;
  const { fromSequence, toSequence } = query as VerifyQuery;
  for (const [field, value] of [['fromSequence', fromSequence], ['toSequence', toSequence]] as const) {
    if (value !== undefined && !Number.isSafeInteger(value)) return { code: 'invalid_field', field, message: queryParameterMessage(field) };
  }
  if (fromSequence !== undefined && toSequence !== undefined && fromSequence > toSequence) {
    return { code: 'invalid_field', field: 'toSequence', message: 'toSequence must not be smaller than fromSequence' };
  }
  return undefined;
}

