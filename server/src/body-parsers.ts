/**
 * Request body parsing. The log route takes the details as the raw body: JSON for `application/json`, text for
 * `text/plain`, and (like LogSentinel, which accepts any format) text for any other or missing content type.
 * Routes that need JSON check {@link isJsonRequest} and answer 415 otherwise.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LIMITS } from '@audit-trail/sdk/contract';
import { ApiError } from './errors.js';

/** Whether the request declared a JSON body (`application/json`, any parameters). */
export function isJsonRequest(request: FastifyRequest): boolean {
  const type = request.headers['content-type'];
  return typeof type === 'string' && /^application\/json\s*(;|$)/i.test(type.trim());
}

/** Installs the parsers on `app` (replacing Fastify's defaults). */
export function installBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  const parseOptions = { parseAs: 'string' as const, bodyLimit: LIMITS.bodyBytes };
  app.addContentTypeParser('application/json', parseOptions, (_request, body, done) => {
    const text = body as unknown as string;
    // An empty JSON body is "no details" on the log route, and a missing body everywhere else.
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(new ApiError('malformed_json', `The request body is not valid JSON: ${(error as Error).message}`), undefined);
    }
  });
  app.addContentTypeParser('text/plain', parseOptions, (_request, body, done) => done(null, body));
  app.addContentTypeParser('*', parseOptions, (_request, body, done) => done(null, body));
}
