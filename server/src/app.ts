/**
 * `buildServer(options)`: the reference audit-trail service as a Fastify instance that is ready but not
 * listening (`server/cli/serve.ts` listens; tests use `inject` or listen on port 0).
 */
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { LIMITS } from '@audit-trail/sdk/contract';
import rateLimit from '@fastify/rate-limit';
import { checkAdminToken } from './auth/admin-token.js';
import { authenticate } from './auth/authenticate.js';
import { FailedAuthLimiter } from './auth/failed-auth-limiter.js';
import { CredentialVerifier } from './auth/credential-verifier.js';
import { TenantCache } from './auth/tenant-cache.js';
import { installBodyParsers } from './body-parsers.js';
import type { ServerContext } from './context.js';
import { errorShapeOptions, installErrorHandlers } from './error-handler.js';
import { HookDispatcher, type HookDispatcherOptions } from './hooks/dispatcher.js';
import { installBackPressure } from './limits/back-pressure.js';
import { CONNECTION_LIMITS, DEFAULT_LIMITS, type LimitOptions } from './limits/options.js';
import { registerAccountRoutes } from './routes/account.js';
import { registerConsoleRoutes } from './routes/console.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerEntryRoutes } from './routes/entries.js';
import { registerHookRoutes } from './routes/hooks.js';
import { registerLogRoutes } from './routes/log.js';
import { registerMerkleRoutes } from './routes/merkle.js';
import { GroupCommit } from './group-commit.js';
import { CheckpointSigner } from './merkle/checkpoints.js';
import { isConfigured, loadSharedSigningKey, loadSigningKey, type SigningKey } from './merkle/signing-key.js';
import { registerOpenApiRoute } from './routes/openapi.js';
import { registerVerifyRoutes } from './routes/verify.js';
import type { Store } from './store/repositories.js';
import { openStore } from './store/open-store.js';
import { IntegrityMonitor, type IntegrityMonitorOptions } from './verification/integrity-monitor.js';

/** Options of {@link buildServer}. */
export interface ServerOptions {
  /** Directory of the SQLite database (`audit-trail.db`); created when missing. Ignored when `store` is given. */
  dataDir?: string;
  /**
   * A `postgres://` URL: store in PostgreSQL instead of SQLite (schema created or upgraded on start). Ignored when
   * `store` is given.
   */
  databaseUrl?: string;
  /** A store to use instead of opening one; the server closes it when it closes. */
  store?: Store;
  /** Fastify's logger option. @default false */
  logger?: FastifyServerOptions['logger'];
  /**
   * Log a line per request and per reply (Fastify's request logging). Off by default: on the append routes it
   * cost more CPU than the append itself; errors and server events are logged either way. @default false
   */
  requestLogging?: boolean;
  /**
   * Enables the admin API (`/api/admin/...`) with this bearer token (at least 32 characters); without it the admin
   * routes do not exist. `serve` reads AUDIT_TRAIL_ADMIN_TOKEN.
   */
  adminToken?: string;
  /** Back-pressure and failed-authentication limits (see limits/options.ts for the defaults). */
  limits?: LimitOptions;
  /** Webhooks: retry delays, timeouts, concurrency per tenant and in all, the cap per application, the target policy. */
  webhooks?: HookDispatcherOptions;
  /**
   * The checkpoint signing key (`PRIVATE+KEY+<name>+<id>+<key>`, see server/src/merkle/signing-key.ts). Every
   * process of one deployment must sign with the same key: give it here, or as {@link signingKeyFile}; without
   * either, the key is `<dataDir>/checkpoint-signing.key`, created on the first start.
   */
  signingKey?: string;
  /** A file holding the checkpoint signing key. */
  signingKeyFile?: string;
  /** The key name for a key created on first start (also the service part of origins). @default audit-trail.local */
  signingKeyName?: string;
  /** Verification: when a range goes to a worker thread, how often a full pass runs. */
  verification?: IntegrityMonitorOptions;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The store the server writes to. */
    store: Store;
    /** The webhook dispatcher (tests await `hooks.idle()`). */
    hooks: HookDispatcher;
    /** The checkpoint signer (its `verifierKey` is what clients pin). */
    checkpoints: CheckpointSigner;
    /** The integrity monitor (tests await `integrity.idle()`). */
    integrity: IntegrityMonitor;
  }
}

/** Paths that could carry credentials in logs; pino replaces them. */
export const REDACTED_LOG_PATHS = ['req.headers.authorization', 'req.headers["authorization"]', '*.apiSecret', 'apiSecret', '*.apiKey', 'apiKey', '*.secret', 'secret'];

function loggerOption(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return false;
  const base = typeof logger === 'object' ? logger : {};
  return { ...base, redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } } as FastifyServerOptions['logger'];
}

/** Builds the server (not listening). */
export async function buildServer(options: ServerOptions = {}): Promise<FastifyInstance> {
  if (!options.store && !options.dataDir && !options.databaseUrl) throw new TypeError('buildServer needs a dataDir, a databaseUrl or a store');
  const keySource = {
    ...(options.signingKey === undefined ? {} : { key: options.signingKey }),
    ...(options.signingKeyFile === undefined ? {} : { keyFile: options.signingKeyFile }),
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    ...(options.signingKeyName === undefined ? {} : { name: options.signingKeyName }),
  };
  // Without a configured key, a database several processes share keeps the key (one per deployment, not one per
  // machine); the embedded store's key is the data directory's file. A configured key or the file is read before
  // the store opens, so that a missing key fails fast and a created key tightens the fresh data dir.
  const sharedKey = !isConfigured(keySource) && (options.store ? options.store.settings !== undefined : Boolean(options.databaseUrl));
  const configuredKey = sharedKey ? undefined : loadSigningKey(keySource);
  if (options.adminToken !== undefined) checkAdminToken(options.adminToken);
  const store = options.store ?? (await openStore({ databaseUrl: options.databaseUrl, dataDir: options.dataDir }));
  let signingKey: SigningKey;
  try {
    signingKey = configuredKey ?? (store.settings ? await loadSharedSigningKey(store.settings, keySource) : loadSigningKey(keySource));
  } catch (error) {
    await store.close();
    throw error;
  }
  const checkpoints = new CheckpointSigner(signingKey.name, signingKey.privateKey);
  const app = Fastify({
    logger: loggerOption(options.logger ?? false),
    bodyLimit: LIMITS.bodyBytes,
    // Fastify 5's replacement of the deprecated top-level disableRequestLogging (FSTDEP023).
    logController: new LogController({ disableRequestLogging: !(options.requestLogging ?? false) }),
    // Path segments carry actor ids and actions of up to 256 characters, percent-encoded up to 9 bytes each.
    routerOptions: { maxParamLength: 4096 },
    requestTimeout: CONNECTION_LIMITS.requestTimeout,
    keepAliveTimeout: CONNECTION_LIMITS.keepAliveTimeout,
    http: { maxHeaderSize: CONNECTION_LIMITS.maxHeaderSize },
    ...errorShapeOptions(),
  });
  const dispatcher = new HookDispatcher(store, app.log, options.webhooks);
  const monitor = new IntegrityMonitor(store, options.verification);
  const context: ServerContext = { store, appends: new GroupCommit(store, undefined, dispatcher.queueWithin), dispatcher, checkpoints, monitor };
  app.decorate('store', store);
  app.decorate('checkpoints', checkpoints);
  app.decorate('hooks', dispatcher);
  app.decorate('integrity', monitor);
  app.decorateRequest('caller', null);
  installBodyParsers(app);
  installErrorHandlers(app);
  app.addHook('onClose', async () => {
    await dispatcher.close();
    await monitor.idle();
    await store.close();
  });

  await dispatcher.recover();
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  // Only the counting of @fastify/rate-limit is used (createRateLimit): no route is limited as a whole.
  await app.register(rateLimit, { global: false });
  const failedAuth = new FailedAuthLimiter(app, {
    perAddress: limits.failedAuthPerAddress,
    perOrganization: limits.failedAuthPerOrganization,
    windowMs: limits.failedAuthWindowMs,
  });
  installBackPressure(app, limits.maxAppendsInFlight);

  registerOpenApiRoute(app);
  registerConsoleRoutes(app);
  await app.register(async (api) => {
    // Both read tenants through one cache, emptied by any change to them (auth/tenant-cache.ts).
    const tenants = new TenantCache(store.tenants);
    api.addHook('onRequest', authenticate(new CredentialVerifier(tenants), tenants, failedAuth));
    registerLogRoutes(api, context);
    registerEntryRoutes(api, context);
    registerVerifyRoutes(api, context);
    registerMerkleRoutes(api, context);
    registerAccountRoutes(api, context);
    registerHookRoutes(api, context);
  });
  const adminToken = options.adminToken;
  if (adminToken !== undefined) {
    await app.register(async (admin) => {
      registerAdminRoutes(admin, context, { token: adminToken, failuresPerAddress: limits.failedAuthPerAddress, windowMs: limits.failedAuthWindowMs });
    });
  }
  return app;
}
