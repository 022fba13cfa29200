/**
 * Back-pressure on appends: when more append requests are being handled than the bound, the next one is answered
 * 503 `service_unavailable` with `Retry-After` before its body is read, instead of queueing until every client
 * times out (the issue measured p99 13.9 s and never a 503). The SDK retries after the delay it is given.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ROUTES } from '../routes/route-templates.js';
import { ApiError } from '../errors.js';
import { BACK_PRESSURE_RETRY_AFTER_SECONDS } from './options.js';

const APPEND_ROUTES = new Set<string>([ROUTES.log, ROUTES.logAboutEntity, ROUTES.batch]);

const isAppend = (request: FastifyRequest) => request.method === 'POST' && APPEND_ROUTES.has(request.routeOptions.url ?? '');

/** Installs the bound; `maxInFlight` 0 disables it. Returns a reader of the current count (for tests). */
export function installBackPressure(app: FastifyInstance, maxInFlight: number): () => number {
  let inFlight = 0;
  if (maxInFlight <= 0) return () => inFlight;
  // Runs before authentication (a root onRequest hook precedes the API plugin's), so shedding costs no scrypt.
  app.addHook('onRequest', async (request, reply) => {
    if (!isAppend(request)) return;
    if (inFlight >= maxInFlight) {
      reply.header('retry-after', String(BACK_PRESSURE_RETRY_AFTER_SECONDS));
      throw new ApiError('service_unavailable', `The server is handling ${inFlight} appends; retry after ${BACK_PRESSURE_RETRY_AFTER_SECONDS} s`);
    }
    inFlight += 1;
    // 'close' fires once whatever happens (answered, failed, client gone), so the count cannot leak.
    reply.raw.once('close', () => {
      inFlight -= 1;
    });
  });
  return () => inFlight;
}
