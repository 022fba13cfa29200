/**
 * Request body parsing. The log route takes the details as the raw body: JSON for `application/json`, text for
 * `text/plain`, and (like LogSentinel, which accepts any format) text for any other or missing content type.
 * Routes that need JSON check {@link isJsonRequest} and answer 415 otherwise.
 *
 * Soundness (I-JSON, RFC 7493): a body that is not valid UTF-8 is refused (decoding would turn the bad bytes into
 * U+FFFD, storing something the caller never sent). A JSON body is also scanned as text for what `JSON.parse`
 * hides: duplicate keys and number literals it would alter (`1e400`, `2^53+1`). Those problems are attached to
 * the request ({@link jsonTextProblemsOf}): the batch route rejects only the entries they are in; every other
 * route answers 400 for the whole body (a `preValidation` hook).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LIMITS, jsonTextProblems, renderJsonPath, type JsonTextProblem } from '@audit-trail/sdk/contract';
import { ApiError } from './errors.js';

/** Whether the request declared a JSON body (`application/json`, any parameters). */
export function isJsonRequest(request: FastifyRequest): boolean {
  const type = request.headers['content-type'];
  return typeof type === 'string' && /^application\/json\s*(;|$)/i.test(type.trim());
}

const problemsByRequest = new WeakMap<FastifyRequest, JsonTextProblem[]>();

/** The duplicate keys and inexact numbers found in the request's JSON body (empty when none). */
export function jsonTextProblemsOf(request: FastifyRequest): readonly JsonTextProblem[] {
  return problemsByRequest.get(request) ?? [];
}

/** Route config flag: the route reports {@link jsonTextProblemsOf} itself (per batch entry). */
export interface JsonProblemsConfig {
  handlesJsonTextProblems?: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeUtf8(body: Buffer): string {
  try {
    return utf8.decode(body);
  } catch {
    throw new ApiError('invalid_unicode', 'The request body is not valid UTF-8', 'body');
  }
}

/** Installs the parsers on `app` (replacing Fastify's defaults). */
export function installBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  const parseOptions = { parseAs: 'buffer' as const, bodyLimit: LIMITS.bodyBytes };
  app.addContentTypeParser('application/json', parseOptions, (request, body, done) => {
    try {
      const text = decodeUtf8(body as unknown as Buffer);
      // An empty JSON body is "no details" on the log route, and a missing body everywhere else.
      if (text.trim() === '') return done(null, undefined);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw new ApiError('malformed_json', `The request body is not valid JSON: ${(error as Error).message}`);
      }
      const problems = jsonTextProblems(text);
      if (problems.length > 0) problemsByRequest.set(request, problems);
      done(null, parsed);
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  const textParser = (_request: FastifyRequest, body: unknown, done: (error: Error | null, value?: unknown) => void) => {
    try {
      done(null, decodeUtf8(body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  };
  app.addContentTypeParser('text/plain', parseOptions, textParser);
  app.addContentTypeParser('*', parseOptions, textParser);
  app.addHook('preValidation', async (request) => {
    const first = problemsByRequest.get(request)?.[0];
    if (!first || (request.routeOptions.config as JsonProblemsConfig | undefined)?.handlesJsonTextProblems) return;
    // The log route's body is the entry's details; elsewhere the path is named from the body.
    const isLog = request.routeOptions.url?.startsWith('/api/log/') ?? false;
    const root = isLog ? 'details' : 'body';
    throw new ApiError(first.code, `${renderJsonPath(root, first.path)}: ${first.message}`, isLog ? 'details' : (String(first.path[0] ?? 'body')));
  });
}
