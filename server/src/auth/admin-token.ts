/**
 * The admin credential: `Authorization: Bearer <AUDIT_TRAIL_ADMIN_TOKEN>`, separate from every tenant credential.
 * Compared as SHA-256 digests with timingSafeEqual, so neither the token's content nor its length leaks through
 * timing. Failed attempts are limited per client address like tenant authentication.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { ApiError } from '../errors.js';

/** Shortest admin token the server accepts (a guessable one would be worse than none). */
export const MIN_ADMIN_TOKEN_LENGTH = 32;

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Throws unless `token` is long enough to be an admin token. */
export function checkAdminToken(token: string): void {
  if (token.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new TypeError(`The admin token must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters (e.g. \`openssl rand -hex 32\`)`);
  }
}

/** The onRequest hook of the admin routes. */
export function authenticateAdmin(app: FastifyInstance, token: string, failuresPerAddress: number, windowMs: number): onRequestAsyncHookHandler {
  const expected = digest(token);
  const limiter = app.createRateLimit({ max: failuresPerAddress, timeWindow: windowMs, keyGenerator: (request) => `admin:${request.ip}` });
  return async function checkAdminToken(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const state = await limiter(request, { increment: false });
    if (!state.isAllowed && state.remaining === 0) {
      reply.header('retry-after', String(Math.max(1, state.ttlInSeconds)));
      throw new ApiError('rate_limited', 'Too many failed admin authentications from this client address');
    }
    const match = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '');
    if (match?.[1] && timingSafeEqual(digest(match[1]), expected)) return;
    await limiter(request);
    reply.header('www-authenticate', 'Bearer realm="audit-trail-admin"');
    throw new ApiError('unauthorized', 'Missing or invalid admin token (Authorization: Bearer <AUDIT_TRAIL_ADMIN_TOKEN>)');
  };
}
