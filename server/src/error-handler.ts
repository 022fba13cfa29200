/**
 * Turns every failure into `{ error: { code, message, field? } }` with the status of {@link ERROR_TABLE}, whoever
 * detects it: a route (ApiError), Fastify (validation, body parsing, bad URL encoding, over-long path parameters,
 * no route, wrong method, shutting down) or node:http itself (malformed request line or headers, header overflow,
 * request timeout, unsupported `Expect`), which answers on the raw socket before Fastify sees a request. Anything
 * unexpected is logged and answered with a masked 500, never a stack trace.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { queryParameterMessage, type ErrorCode } from '@audit-trail/sdk/contract';
import { ApiError, ERROR_TABLE, errorBody, sendError } from './errors.js';

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
  FST_ERR_BAD_URL: 'bad_request',
  FST_ERR_MAX_PARAM_LENGTH: 'uri_too_long',
};

/** A status Fastify chose for a client error it detected, as the contract code of that status. */
const CODES_BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  413: 'body_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  431: 'headers_too_large',
};

/** The methods a route may be registered for; a path that has another method's route answers 405, not 404. */
const ROUTE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

function handleError(this: FastifyInstance, error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof ApiError) return sendError(reply, error.code, error.message, error.field);
  if (error.validation) return validationReply(reply, error.validation as AjvIssue[], error.validationContext);
  const mapped = FASTIFY_CODES[error.code];
  if (mapped) return sendError(reply, mapped);
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    // Some other client error Fastify detected (e.g. an aborted body): say what it was, without internals.
    return sendError(reply, CODES_BY_STATUS[error.statusCode] ?? 'bad_request', error.message);
  }
  request.log.error({ err: error }, 'unexpected error');
  return sendError(reply, 'internal_error');
}

/**
 * The raw HTTP reply for an error node:http detected while parsing (there is no request object yet). The
 * connection is closed afterwards: after a parse error the byte stream cannot be trusted.
 */
export function rawErrorReply(code: ErrorCode, message?: string): string {
  const { status } = ERROR_TABLE[code];
  const body = JSON.stringify(errorBody(code, message));
  return (
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Error'}\r\n` +
    `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}

function clientErrorCode(error: NodeJS.ErrnoException): ErrorCode {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return 'headers_too_large';
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 'request_timeout';
    default:
      return 'bad_request';
  }
}

/** node:http's `clientError`: answered in the contract's shape instead of Fastify's `{ error: "Bad Request" }`. */
function handleClientError(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection has nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  this.log.debug({ err: { code: error.code, message: error.message } }, 'malformed request');
  // Past this point a response may already be on its way (e.g. a timeout mid-reply): then only close.
  const busy = (socket as Socket & { _httpMessage?: http.ServerResponse | null })._httpMessage;
  if (socket.writable && !busy?.headersSent) {
    const code = clientErrorCode(error);
    socket.end(rawErrorReply(code, code === 'bad_request' ? `The request is not valid HTTP (${error.code ?? 'parse error'})` : undefined));
  } else {
    socket.destroy(error);
  }
}

/** Fastify constructor options that route framework-level and node:http errors through the contract's shape. */
export function errorShapeOptions(): Pick<FastifyServerOptions, 'clientErrorHandler' | 'frameworkErrors' | 'return503OnClosing'> {
  return {
    clientErrorHandler: handleClientError,
    frameworkErrors: (error, _request, reply) => {
      const code = FASTIFY_CODES[error.code] ?? 'bad_request';
      void sendError(reply, code, code === 'bad_request' ? 'The URL is not valid (bad percent-encoding)' : undefined);
    },
    // Replaced by the onRequest hook of installErrorHandlers, which answers in the contract's shape.
    return503OnClosing: false,
  };
}

/** Installs the error, not-found and method-not-allowed handlers, and a contract-shaped 503 while closing. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    // A route of the request's own method that answered "not found" itself (reply.callNotFound(), e.g. an unknown
    // /console file) is a 404: the other methods Fastify registers beside it (HEAD for GET) do not make it a 405.
    const ownRoute = app.findRoute({ method: request.method as (typeof ROUTE_METHODS)[number], url: path });
    const allowed = ownRoute ? [] : ROUTE_METHODS.filter((method) => method !== request.method && app.findRoute({ method, url: path }));
    if (allowed.length > 0) {
      return sendError(reply.header('allow', allowed.join(', ')), 'method_not_allowed', `${request.method} is not allowed on ${path}; use ${allowed.join(' or ')}`);
    }
    return sendError(reply, 'not_found', `No route ${request.method} ${path}`);
  });
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    reply.header('connection', 'close').header('retry-after', '1');
    throw new ApiError('service_unavailable', 'The server is shutting down; retry on another instance or shortly');
  });
  // node:http hands CONNECT (and protocol upgrades) to listeners of these events and otherwise drops the socket
  // without a word: answer instead. The server proxies nothing and speaks no other protocol.
  app.server.on('connect', (_request: http.IncomingMessage, socket: Socket) => {
    socket.end(rawErrorReply('method_not_allowed', 'CONNECT is not supported'));
  });
  app.server.on('upgrade', (_request: http.IncomingMessage, socket: Socket) => {
    socket.end(rawErrorReply('bad_request', 'Protocol upgrades are not supported'));
  });
  // node:http answers an `Expect` other than 100-continue with a bare 417 unless someone listens.
  app.server.on('checkExpectation', (_request: http.IncomingMessage, response: http.ServerResponse) => {
    const body = JSON.stringify(errorBody('expectation_failed'));
    response.writeHead(417, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' });
    response.end(body);
  });
}
