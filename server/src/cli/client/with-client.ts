/** What the client commands share: an SDK client from the AUDIT_TRAIL_* variables, and flag parsing. */
import { AuditTrailClient, type VerifiedCheckpoint } from '@audit-trail/sdk';
import { CLI_DEFAULTS, ENV, UsageError, credentialsFromEnv } from '../environment.js';

/** The process environment (or a test's stand-in). */
export type Env = Readonly<Record<string, string | undefined>>;
/** Where a command prints its lines. */
export type Out = (line: string) => void;

/**
 * A client from the AUDIT_TRAIL_* variables: credentials, the pinned verifier key (AUDIT_TRAIL_VERIFIER_KEY) and
 * the checkpoint state file (`stateFile`, from a flag, wins over AUDIT_TRAIL_STATE_FILE).
 */
export function clientFromEnv(env: Env, stateFile?: string): AuditTrailClient {
  const credentials = credentialsFromEnv(env);
  if (!credentials) {
    throw new UsageError(
      `Set ${ENV.organizationId}, ${ENV.apiSecret} and ${ENV.applicationId} (\`audit-trail serve\` prints them on its first start)`,
    );
  }
  const verifierKey = env[ENV.verifierKey] || undefined;
  const state = stateFile ?? (env[ENV.stateFile] || undefined);
  return new AuditTrailClient({
    baseUrl: env[ENV.baseUrl] || CLI_DEFAULTS.baseUrl,
    ...credentials,
    verification: { ...(verifierKey === undefined ? {} : { verifierKey }), ...(state === undefined ? {} : { stateFile: state }) },
  });
}

/** Runs `work` with a client from the environment and closes it afterwards, whatever happens. */
export async function withClient<T>(env: Env, work: (client: AuditTrailClient) => Promise<T>, stateFile?: string): Promise<T> {
  const client = clientFromEnv(env, stateFile);
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

/** How a verified checkpoint's key is trusted, for the commands' last line. */
export function describeTrust(checkpoint: VerifiedCheckpoint): string {
  return checkpoint.trustedOnFirstUse
    ? `key ${checkpoint.verifierKey} trusted on first use: pin it with ${ENV.verifierKey}, keep a state file with --state`
    : `key ${checkpoint.verifierKey}`;
}

/** A flag that must be a positive integer, e.g. `--limit 5`; `undefined` when not given. */
export function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new UsageError(`${flag} must be a positive integer, got "${value}"`);
  return number;
}
