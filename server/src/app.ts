/**
 * `buildServer(options)`: the reference audit-trail service as a Fastify instance that is ready but not
 * listening (`server/cli/serve.ts` listens; tests use `inject` or listen on port 0).
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { LIMITS } from '@audit-trail/sdk/contract';
import { authenticate } from './auth/authenticate.js';
import { CredentialVerifier } from './auth/credential-verifier.js';
import { installBodyParsers } from './body-parsers.js';
import type { ServerContext } from './context.js';
import { installErrorHandlers } from './error-handler.js';
import { HookDispatcher, type HookDispatcherOptions } from './hooks/dispatcher.js';
import { registerAccountRoutes } from './routes/account.js';
import { registerEntryRoutes } from './routes/entries.js';
import { registerHookRoutes } from './routes/hooks.js';
import { registerLogRoutes } from './routes/log.js';
import { registerOpenApiRoute } from './routes/openapi.js';
import { registerVerifyRoutes } from './routes/verify.js';
import type { Store } from './store/repositories.js';
import { openSqliteStore } from './store/sqlite-store.js';

/** Options of {@link buildServer}. */
export interface ServerOptions {
  /** Directory of the SQLite database (`audit-trail.db`); created when missing. Ignored when `store` is given. */
  dataDir?: string;
  /** A store to use instead of opening one; the server closes it when it closes. */
  store?: Store;
  /** Fastify's logger option. @default false */
  logger?: FastifyServerOptions['logger'];
  /** Webhook delivery: retry delays, timeout, concurrency. */
  webhooks?: HookDispatcherOptions;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The store the server writes to. */
    store: Store;
    /** The webhook dispatcher (tests await `hooks.idle()`). */
    hooks: HookDispatcher;
  }
}

/** Paths that could carry credentials in logs; pino replaces them. */
export const REDACTED_LOG_PATHS = ['req.headers.authorization', 'req.headers["authorization"]', '*.apiSecret', 'apiSecret'];

function loggerOption(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return false;
  const base = typeof logger === 'object' ? logger : {};
  return { ...base, redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } } as FastifyServerOptions['logger'];
}

/** Builds the server (not listening). */
export async function buildServer(options: ServerOptions = {}): Promise<FastifyInstance> {
  if (!options.store && !options.dataDir) throw new TypeError('buildServer needs a dataDir or a store');
  const store = options.store ?? openSqliteStore(options.dataDir as string);
  const app = Fastify({
    logger: loggerOption(options.logger ?? false),
    bodyLimit: LIMITS.bodyBytes,
    // Path segments carry actor ids and actions of up to 256 characters, percent-encoded up to 9 bytes each.
    routerOptions: { maxParamLength: 4096 },
  });
  const dispatcher = new HookDispatcher(store.hooks, app.log, options.webhooks);
  const context: ServerContext = { store, dispatcher };
  app.decorate('store', store);
  app.decorate('hooks', dispatcher);
  app.decorateRequest('caller', null);
  installBodyParsers(app);
  installErrorHandlers(app);
  app.addHook('onClose', async () => {
    dispatcher.close();
    await store.close();
  });

  registerOpenApiRoute(app);
  await app.register(async (api) => {
    api.addHook('onRequest', authenticate(new CredentialVerifier(store.tenants), store.tenants));
    registerLogRoutes(api, context);
    registerEntryRoutes(api, context);
    registerVerifyRoutes(api, context);
    registerAccountRoutes(api, context);
    registerHookRoutes(api, context);
  });
  return app;
}
