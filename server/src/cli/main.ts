/**
 * The `audit-trail` command line: `serve`, `log`, `tail`, `verify`. bin/audit-trail.js requires the compiled
 * file; `npm start` runs `node dist/server/cli/main.js serve`.
 */
import { parseArgs } from 'node:util';
import { isAuditTrailError } from '@audit-trail/sdk/contract';
import { logCommand } from './client/log.js';
import { tailCommand } from './client/tail.js';
import { verifyCommand } from './client/verify.js';
import { checkpointCommand } from './client/checkpoint.js';
import { ADMIN_USAGE, adminCommand } from './admin-commands.js';
import { UsageError } from './environment.js';
import { serve } from './serve.js';

export const USAGE = `Usage: audit-trail <command> [options]

Commands:
  serve [--port N] [--host H] [--data DIR]    run the server (defaults: 127.0.0.1:8080, ./.data)
      [--signing-key FILE]                    checkpoint signing key (default: DIR/checkpoint-signing.key)
  log <actor> <action> [details]              record an entry; details: a JSON object or text
      [--entity-type T --entity-id I] [--idempotency-key K]
  tail [--limit N] [--follow] [--json]        print the newest entries (default 20)
  verify [--from N] [--to N] [--local]        verify the hash chain; exit code 1 when it is broken
      [--state FILE]                          --local also checks the signed Merkle tree against the checkpoint in FILE
  checkpoint [--state FILE] [--json]          print the latest checkpoint, verified against the one kept in FILE
  admin <noun> <verb> [options] [--json]      administration (see below)

${ADMIN_USAGE}

Environment:
  PORT, AUDIT_TRAIL_DATA_DIR, LOG_LEVEL,
  AUDIT_TRAIL_SIGNING_KEY, AUDIT_TRAIL_SIGNING_KEY_FILE,
  AUDIT_TRAIL_LOG_NAME,
  AUDIT_TRAIL_ADMIN_TOKEN (enables the admin API; ≥ 32 characters),
  AUDIT_TRAIL_MAX_APPENDS_IN_FLIGHT (default 64),
  AUDIT_TRAIL_WEBHOOKS_ALLOW_LOOPBACK=1 (local development only)   (serve)
  AUDIT_TRAIL_DATABASE_URL=postgres://user:pw@host:5432/db    (serve: store in PostgreSQL instead of SQLite)
  AUDIT_TRAIL_BASE_URL (default http://127.0.0.1:8080),
  AUDIT_TRAIL_ORGANIZATION_ID, AUDIT_TRAIL_API_SECRET,
  AUDIT_TRAIL_APPLICATION_ID                                  (client commands; serve seeds them when set)
  AUDIT_TRAIL_VERIFIER_KEY (pins the service's key), AUDIT_TRAIL_STATE_FILE   (verify --local, checkpoint)
`;

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  data: { type: 'string' },
  'signing-key': { type: 'string' },
  'entity-type': { type: 'string' },
  'entity-id': { type: 'string' },
  'idempotency-key': { type: 'string' },
  limit: { type: 'string' },
  interval: { type: 'string' },
  follow: { type: 'boolean', short: 'f' },
  json: { type: 'boolean' },
  from: { type: 'string' },
  to: { type: 'string' },
  local: { type: 'boolean' },
  state: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  name: { type: 'string' },
  id: { type: 'string' },
  'app-name': { type: 'string' },
  org: { type: 'string' },
  app: { type: 'string' },
  'grace-seconds': { type: 'string' },
  key: { type: 'string' },
  hook: { type: 'string' },
} as const;

/** Which options each command accepts (anything else is a usage error). */
const COMMAND_OPTIONS: Record<string, readonly (keyof typeof OPTIONS)[]> = {
  serve: ['port', 'host', 'data', 'signing-key'],
  log: ['entity-type', 'entity-id', 'idempotency-key'],
  tail: ['limit', 'follow', 'json', 'interval'],
  verify: ['from', 'to', 'local', 'state'],
  checkpoint: ['state', 'json'],
  admin: ['name', 'id', 'app-name', 'org', 'app', 'grace-seconds', 'key', 'hook', 'json'],
};

/** Runs the CLI; resolves with the exit code. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const err = (line: string) => process.stderr.write(`${line}\n`);
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    const [command, ...rest] = positionals;
    if (values.help || command === undefined || command === 'help') {
      out(USAGE);
      return command === undefined && !values.help ? 2 : 0;
    }
    const allowed = COMMAND_OPTIONS[command];
    if (!allowed) throw new UsageError(`unknown command "${command}"`);
    const stray = Object.keys(values).filter((name) => name !== 'help' && !allowed.includes(name as keyof typeof OPTIONS));
    if (stray.length > 0) throw new UsageError(`${command} does not take --${stray.join(', --')}`);
    switch (command) {
      case 'serve':
        if (rest.length > 0) throw new UsageError(`serve takes no arguments, got: ${rest.join(' ')}`);
        return await serve(values, env, out);
      case 'log':
        return await logCommand(rest, values, env, out);
      case 'tail':
        return await tailCommand(values, env, out, signalOnInterrupt());
      case 'checkpoint':
        if (rest.length > 0) throw new UsageError(`checkpoint takes no arguments, got: ${rest.join(' ')}`);
        return await checkpointCommand(values, env, out);
      case 'admin':
        return await adminCommand(rest, values, env, out);
      default:
        return await verifyCommand(values, env, out);
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      const showUsage = !(error instanceof UsageError) || error.showUsage;
      err(`audit-trail: ${(error as Error).message}${showUsage ? `\n\n${USAGE}` : ''}`);
      return 2;
    }
    // SDK errors carry a message that names the operation and never a credential.
    err(`audit-trail: ${isAuditTrailError(error) ? error.message : (error as Error).message ?? String(error)}`);
    return 1;
  }
}

function signalOnInterrupt(): AbortSignal {
  const controller = new AbortController();
  const abort = () => controller.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  return controller.signal;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`audit-trail: ${(error as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
