/**
 * Limits failed authentication per client address and per organization id (429 `rate_limited` + Retry-After).
 * Every wrong secret costs a full scrypt (tens of ms of CPU), so unlimited guessing slowed every tenant down (the
 * issue measured a valid client's median 3 → 52 ms under 6 guesses/s). The counting is @fastify/rate-limit's
 * (`createRateLimit`, its LRU store): a request is checked without counting before the secret is verified, and
 * counted only when verification fails. A caller whose secret was verified before (remembered by the
 * CredentialVerifier without scrypt) is never limited, so an attacker hammering an organization id cannot lock
 * its working clients out; only new, unverified secrets wait.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseBasicAuthorization } from './basic-authorization.js';
import { ApiError } from '../errors.js';

/** Settings of {@link FailedAuthLimiter}. */
export interface FailedAuthLimits {
  perAddress: number;
  perOrganization: number;
  windowMs: number;
}

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

const organizationKey = (request: FastifyRequest) => `org:${parseBasicAuthorization(request.headers.authorization)?.organizationId ?? ''}`;

export class FailedAuthLimiter {
  private readonly byAddress: Limiter;
  private readonly byOrganization: Limiter;

  /** `app` must have @fastify/rate-limit registered (with `global: false`). */
  constructor(app: FastifyInstance, limits: FailedAuthLimits) {
    this.byAddress = app.createRateLimit({ max: limits.perAddress, timeWindow: limits.windowMs, keyGenerator: (request) => `ip:${request.ip}` });
    this.byOrganization = app.createRateLimit({ max: limits.perOrganization, timeWindow: limits.windowMs, keyGenerator: organizationKey });
  }

  /** Throws 429 (with Retry-After on `reply`) when the client address or the organization id used up its failures. */
  async check(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    for (const [limiter, what] of [
      [this.byAddress, 'this client address'],
      [this.byOrganization, 'this organization'],
    ] as const) {
      const state = await limiter(request, { increment: false });
      if (!state.isAllowed && state.remaining === 0) {
        const retryAfter = Math.max(1, state.ttlInSeconds);
        reply.header('retry-after', String(retryAfter));
        throw new ApiError('rate_limited', `Too many failed authentications from ${what}; retry after ${retryAfter} s`);
      }
    }
  }

  /** Counts one failed authentication against the address and the organization id. */
  async recordFailure(request: FastifyRequest): Promise<void> {
    await this.byAddress(request);
    await this.byOrganization(request);
  }
}
