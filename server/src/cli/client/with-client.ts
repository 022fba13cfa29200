/** What the client commands share: an SDK client from the AUDIT_TRAIL_* variables, and flag parsing. */
import { AuditTrailClient } from '@audit-trail/sdk';
import { CLI_DEFAULTS, ENV, UsageError, credentialsFromEnv } from '../environment.js';

/** The process environment (or a test's stand-in). */
export type Env = Readonly<Record<string, string | undefined>>;
/** Where a command prints its lines. */
export type Out = (line: string) => void;

/** A client from the AUDIT_TRAIL_* variables. */
export function clientFromEnv(env: Env): AuditTrailClient {
  const credentials = credentialsFromEnv(env);
  if (!credentials) {
    throw new UsageError(
      `Set ${ENV.organizationId}, ${ENV.apiSecret} and ${ENV.applicationId} (\`audit-trail serve\` prints them on its first start)`,
    );
  }
  return new AuditTrailClient({ baseUrl: env[ENV.baseUrl] || CLI_DEFAULTS.baseUrl, ...credentials });
}

/** Runs `work` with a client from the environment and closes it afterwards, whatever happens. */
export async function withClient<T>(env: Env, work: (client: AuditTrailClient) => Promise<T>): Promise<T> {
  const client = clientFromEnv(env);
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

/** A flag that must be a positive integer, e.g. `--limit 5`; `undefined` when not given. */
export function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new UsageError(`${flag} must be a positive integer, got "${value}"`);
  return number;
}
