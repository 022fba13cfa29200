/**
 * `audit-trail serve`: runs the server on the embedded SQLite store, or on PostgreSQL when AUDIT_TRAIL_DATABASE_URL
 * is a postgres:// URL. On the first start with an empty database it
 * creates an organization and application and prints their credentials as `export` lines; when the three
 * AUDIT_TRAIL_* credential variables are set it seeds exactly those instead (again on every start: idempotent).
 */
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { buildServer } from '../app.js';
import { MIN_ADMIN_TOKEN_LENGTH } from '../auth/admin-token.js';
import { ensurePrivateDirectory, ensurePrivateFile } from '../store/private-files.js';
import { createTenant, seedTenant } from '../tenants.js';
import { CLI_DEFAULTS, ENV, UsageError, credentialsFromEnv, exportLines } from './environment.js';

/** Written into the data dir on first start: the new credentials as `export` lines. */
export const CREDENTIALS_FILE = 'credentials.env';

/** Options of {@link serve}. */
export interface ServeOptions {
  host?: string;
  port?: number;
  dataDir?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function parsePort(value: string | undefined, source: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`${source} must be a port number (0-65535), got "${value}"`);
  return port;
}

/** Starts the server and resolves once it stops (on SIGINT/SIGTERM). */
export async function serve(options: { host?: string; port?: string; data?: string; 'signing-key'?: string }, env: Env, out: (line: string) => void): Promise<number> {
  const host = options.host ?? CLI_DEFAULTS.host;
  const port = parsePort(options.port, '--port') ?? parsePort(env[ENV.port], ENV.port) ?? CLI_DEFAULTS.port;
  const dataDir = resolve(options.data ?? env[ENV.dataDir] ?? CLI_DEFAULTS.dataDir);
  const seed = credentialsFromEnv(env);
  // A postgres:// URL moves the data to PostgreSQL; the data directory then holds the first start's credentials
  // (and the signing key, unless it is configured).
  const databaseUrl = env[ENV.databaseUrl] || undefined;
  const signingKeyFile = options['signing-key'] ?? env[ENV.signingKeyFile];
  const logLevel = env[ENV.logLevel] ?? CLI_DEFAULTS.logLevel;
  // Whatever else this process writes (a library's temp file, a future key file) is owner-only too.
  process.umask(0o077);
  const adminToken = env[ENV.adminToken] || undefined;
  if (adminToken !== undefined && adminToken.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new UsageError(`${ENV.adminToken} must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters (e.g. \`openssl rand -hex 32\`)`, false);
  }
  const maxAppends = env[ENV.maxAppendsInFlight];
  const maxAppendsInFlight = maxAppends === undefined || maxAppends === '' ? undefined : Number(maxAppends);
  if (maxAppendsInFlight !== undefined && (!Number.isInteger(maxAppendsInFlight) || maxAppendsInFlight < 0)) {
    throw new UsageError(`${ENV.maxAppendsInFlight} must be a whole number (0 = no bound), got "${maxAppends}"`, false);
  }
  const app = await buildServer({
    dataDir,
    databaseUrl,
    logger: { level: logLevel },
    // A line per request only when asked for detail: at info level the append routes stay unlogged (errors still are).
    requestLogging: logLevel === 'debug' || logLevel === 'trace',
    ...(env[ENV.signingKey] ? { signingKey: env[ENV.signingKey] } : {}),
    ...(signingKeyFile ? { signingKeyFile } : {}),
    ...(env[ENV.logName] ? { signingKeyName: env[ENV.logName] } : {}),
    ...(adminToken !== undefined ? { adminToken } : {}),
    ...(maxAppendsInFlight !== undefined ? { limits: { maxAppendsInFlight } } : {}),
    webhooks: { allowLoopback: env[ENV.webhooksAllowLoopback] === '1' },
  });
  let created: Awaited<ReturnType<typeof createTenant>> | undefined;
  try {
    if (seed) {
      const outcome = await seedTenant(app.store, seed);
      app.log.info({ organizationId: seed.organizationId, applicationId: seed.applicationId, outcome }, 'credentials from the environment seeded');
    } else if ((await app.store.tenants.countOrganizations()) === 0) {
      created = await createTenant(app.store);
    }
    await app.listen({ host, port });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address() as AddressInfo;
  const baseUrl = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  // The start-up lines go out as one write, so that whoever reads up to "listening" has read them all.
  const lines = [`Audit Trail server listening on ${baseUrl} (data: ${app.store.location})`];
  // Clients pin this key (AUDIT_TRAIL_VERIFIER_KEY) to check checkpoints; it is public.
  lines.push(`Checkpoint verifier key: ${app.checkpoints.verifierKey}`);
  if (created) {
    lines.push('First start: created an organization and an application. The server will not show the secret again:');
    lines.push(...exportLines(created, baseUrl));
    // So that a second terminal needs no copy-paste: `source .data/credentials.env`. Owner-only, like an ssh key.
    const file = join(dataDir, CREDENTIALS_FILE);
    // On PostgreSQL no store created the data directory.
    ensurePrivateDirectory(dataDir);
    ensurePrivateFile(file);
    writeFileSync(file, `${exportLines(created, baseUrl).join('\n')}\n`, { mode: 0o600 });
    lines.push(`Saved to ${relative(process.cwd(), file) || file} (mode 600): \`source ${relative(process.cwd(), file) || file}\` in another shell.`);
  }
  out(lines.join('\n'));
  return new Promise((done) => {
    const stop = (signal: NodeJS.Signals) => {
      app.log.info({ signal }, 'shutting down');
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      app.close().then(
        () => done(0),
        (error: unknown) => {
          app.log.error({ err: error }, 'error while shutting down');
          done(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
