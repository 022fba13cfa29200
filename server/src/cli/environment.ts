/** The environment variables the CLI reads, in one place. */
import { ENVIRONMENT_VARIABLES } from '@audit-trail/sdk';
import type { Credentials } from '@audit-trail/sdk/contract';

/** Names of the variables: the client's are the SDK's own (`new AuditTrailClient()` reads the same ones). */
export const ENV = {
  ...ENVIRONMENT_VARIABLES,
  dataDir: 'AUDIT_TRAIL_DATA_DIR',
  /** The checkpoint signing key text (serve), so that every process of a deployment signs with one key. */
  signingKey: 'AUDIT_TRAIL_SIGNING_KEY',
  /** A file holding it (serve). */
  signingKeyFile: 'AUDIT_TRAIL_SIGNING_KEY_FILE',
  /** Name of a signing key created on first start (serve). */
  logName: 'AUDIT_TRAIL_LOG_NAME',
  /** The verifier key the client commands pin (else trust on first use). */
  verifierKey: 'AUDIT_TRAIL_VERIFIER_KEY',
  /** Where the client commands keep the last verified checkpoint. */
  stateFile: 'AUDIT_TRAIL_STATE_FILE',
  databaseUrl: 'AUDIT_TRAIL_DATABASE_URL',
  port: 'PORT',
  logLevel: 'LOG_LEVEL',
  adminToken: 'AUDIT_TRAIL_ADMIN_TOKEN',
  maxAppendsInFlight: 'AUDIT_TRAIL_MAX_APPENDS_IN_FLIGHT',
  webhooksAllowLoopback: 'AUDIT_TRAIL_WEBHOOKS_ALLOW_LOOPBACK',
} as const;

/** Defaults of `serve` and of the client commands. */
export const CLI_DEFAULTS = { host: '127.0.0.1', port: 8080, dataDir: './.data', baseUrl: 'http://127.0.0.1:8080', logLevel: 'info' } as const;

/** A mistake of the user (bad flag, missing variable): printed without a stack, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError' as const;

  /** @param showUsage - Print the usage text after the message (for command-line mistakes, not configuration). */
  constructor(message: string, readonly showUsage = true) {
    super(message);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const CREDENTIAL_VARIABLES = [
  ['organizationId', ENV.organizationId],
  ['apiSecret', ENV.apiSecret],
  ['applicationId', ENV.applicationId],
] as const;

/** The credentials from the environment: all three, none (`undefined`), or a UsageError naming the missing ones. */
export function credentialsFromEnv(env: Env): Credentials | undefined {
  const values = CREDENTIAL_VARIABLES.map(([, name]) => env[name] || undefined);
  if (values.every((value) => value === undefined)) return undefined;
  const missing = CREDENTIAL_VARIABLES.filter((_, i) => values[i] === undefined).map(([, name]) => name);
  if (missing.length > 0) throw new UsageError(`Set all of ${CREDENTIAL_VARIABLES.map(([, n]) => n).join(', ')} (missing: ${missing.join(', ')})`, false);
  const [organizationId, apiSecret, applicationId] = values as [string, string, string];
  return { organizationId, apiSecret, applicationId };
}

/** The lines a user pastes into a shell to point the client commands at a server. */
export function exportLines(credentials: Credentials, baseUrl?: string): string[] {
  const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
  const lines = CREDENTIAL_VARIABLES.map(([key, name]) => `export ${name}=${quote(credentials[key])}`);
  if (baseUrl !== undefined) lines.unshift(`export ${ENV.baseUrl}=${quote(baseUrl)}`);
  return lines;
}
