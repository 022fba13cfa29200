/** `log`, `tail` and `verify`: thin commands over the SDK's AuditTrailClient. */
import { setTimeout as sleep } from 'node:timers/promises';
import { AuditTrailClient } from '@audit-trail/sdk';
import type { Entry, StoredEntry } from '@audit-trail/sdk/contract';
import { CLI_DEFAULTS, ENV, UsageError, credentialsFromEnv } from './environment.js';

type Env = Readonly<Record<string, string | undefined>>;
type Out = (line: string) => void;

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

/** Details given on the command line: a JSON object when the text is one, the text otherwise. */
export function parseDetails(text: string | undefined): Entry['details'] {
  if (text === undefined) return undefined;
  if (text.trimStart().startsWith('{')) {
    try {
      const value: unknown = JSON.parse(text);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // Not JSON after all: recorded as text.
    }
  }
  return text;
}

function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new UsageError(`${flag} must be a positive integer, got "${value}"`);
  return number;
}

async function withClient<T>(env: Env, work: (client: AuditTrailClient) => Promise<T>): Promise<T> {
  const client = clientFromEnv(env);
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

/** `log <actor> <action> [details]`: records one entry and prints the receipt. */
export async function logCommand(
  positionals: readonly string[],
  flags: { 'entity-type'?: string; 'entity-id'?: string; 'idempotency-key'?: string },
  env: Env,
  out: Out,
): Promise<number> {
  const [actorId, action, details, ...extra] = positionals;
  if (!actorId || !action) throw new UsageError('usage: audit-trail log <actor> <action> [details] [--entity-type T --entity-id I]');
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')} (quote the details)`);
  const entry: Entry = { actorId, action };
  const parsed = parseDetails(details);
  if (parsed !== undefined) entry.details = parsed;
  if (flags['entity-type'] !== undefined) entry.entityType = flags['entity-type'];
  if (flags['entity-id'] !== undefined) entry.entityId = flags['entity-id'];
  if (flags['idempotency-key'] !== undefined) entry.idempotencyKey = flags['idempotency-key'];
  const receipt = await withClient(env, (client) => client.log(entry));
  out(JSON.stringify(receipt, null, 2));
  return 0;
}

function formatEntry(entry: StoredEntry): string {
  const entity = entry.entityType === null ? '' : ` ${entry.entityType}/${entry.entityId ?? ''}`;
  const details = entry.details === null ? '' : ` ${typeof entry.details === 'string' ? entry.details : JSON.stringify(entry.details)}`;
  return `#${entry.sequence} ${entry.timestamp} ${entry.actorId} ${entry.action}${entity}${details}`;
}

/** `tail [--limit N] [--follow] [--json]`: prints the newest entries, oldest of them first; `--follow` keeps polling. */
export async function tailCommand(
  flags: { limit?: string; follow?: boolean; json?: boolean; interval?: string },
  env: Env,
  out: Out,
  signal?: AbortSignal,
): Promise<number> {
  const limit = positiveInteger(flags.limit, '--limit') ?? 20;
  const intervalMs = positiveInteger(flags.interval, '--interval') ?? 1000;
  const print = (entry: StoredEntry) => out(flags.json ? JSON.stringify(entry) : formatEntry(entry));
  return withClient(env, async (client) => {
    const page = await client.listEntries({ limit: Math.min(limit, 1000) });
    for (const entry of [...page.entries].reverse()) print(entry);
    let lastSequence = page.entries[0]?.sequence ?? 0;
    while (flags.follow && !signal?.aborted) {
      await sleep(intervalMs, undefined, { signal }).catch(() => undefined);
      if (signal?.aborted) break;
      // Newest first, back to the last entry printed; then printed in chain order.
      const fresh: StoredEntry[] = [];
      for await (const entry of client.iterateEntries({ limit: 100 })) {
        if (entry.sequence <= lastSequence) break;
        fresh.push(entry);
      }
      for (const entry of fresh.reverse()) print(entry);
      lastSequence = fresh[fresh.length - 1]?.sequence ?? lastSequence;
    }
    return 0;
  });
}

/** `verify [--from N] [--to N] [--local]`: exit code 0 when the chain is valid, 1 when not. */
export async function verifyCommand(flags: { from?: string; to?: string; local?: boolean }, env: Env, out: Out): Promise<number> {
  const query = { fromSequence: positiveInteger(flags.from, '--from'), toSequence: positiveInteger(flags.to, '--to') };
  const result = await withClient(env, (client) => (flags.local ? client.verifyLocally(query) : client.verify(query)));
  out(JSON.stringify(result, null, 2));
  out(
    result.valid
      ? `Chain valid: ${result.checked} entries checked${flags.local ? ' locally' : ''}.`
      : result.firstBadEntryId === null
        ? `Chain INVALID: entries from sequence ${result.firstBadSequence} on are missing (${result.reason}).`
        : `Chain INVALID at entry ${result.firstBadEntryId} (sequence ${result.firstBadSequence}): ${result.reason}.`,
  );
  return result.valid ? 0 : 1;
}
