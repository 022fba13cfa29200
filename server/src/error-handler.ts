/**
 * Turns every failure into `{ error: { code, message, field? } }` with the status of {@link ERROR_TABLE}. Fastify's
 * own errors (body too large, schema validation, content length) are mapped to contract codes; anything
 * unexpected is logged and answered with a masked 500, never a stack trace.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { queryParameterMessage, type ErrorCode } from '@audit-trail/sdk/contract';
import { ApiError, sendError } from './errors.js';

interface AjvIssue {
  keyword: string;
  instancePath: string;
  message?: string;
  params?: { missingProperty?: string; limit?: number };
}

function validationReply(reply: FastifyReply, issues: readonly AjvIssue[], context: string | undefined): FastifyReply {
  const issue = issues[0];
  const field = issue?.params?.missingProperty ?? (issue?.instancePath.split('/').filter(Boolean)[0] || undefined);
  const where = context === 'querystring' ? 'query parameter' : context === 'params' ? 'path parameter' : 'field';
  const name = field ?? context ?? 'request';
  let code: ErrorCode = 'invalid_field';
  // Query parameters are worded as the SDK words them (`from must be an ISO-8601 date-time ...`), not as ajv does.
  let message =
    context === 'querystring' && field !== undefined
      ? `${where} ${queryParameterMessage(field, issue?.message)}`
      : `${where} ${name} ${issue?.message ?? 'is invalid'}`;
  if (issue?.keyword === 'required') {
    code = 'missing_field';
    message = `${where} ${name} is required`;
  } else if (issue?.keyword === 'maxLength') {
    code = 'field_too_long';
  } else if (issue?.keyword === 'minLength') {
    code = 'missing_field';
    message = `${where} ${name} must not be empty`;
  }
  return sendError(reply, code, message, field);
}

const FASTIFY_CODES: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_field',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
};

/** Installs the error and not-found handlers. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler(function handle(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
    if (error instanceof ApiError) return sendError(reply, error.code, error.message, error.field);
    if (error.validation) return validationReply(reply, error.validation as AjvIssue[], error.validationContext);
    const mapped = FASTIFY_CODES[error.code];
    if (mapped) return sendError(reply, mapped);
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      // Some other client error Fastify detected (e.g. an aborted body): say what it was, without internals.
      return sendError(reply, error.statusCode === 404 ? 'not_found' : 'invalid_field', error.message);
    }
    request.log.error({ err: error }, 'unexpected error');
    return sendError(reply, 'internal_error');
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}`));
}
