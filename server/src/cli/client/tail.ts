/** `audit-trail tail`: prints the newest entries, and with `--follow` keeps polling for new ones. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { StoredEntry } from '@audit-trail/sdk/contract';
import { positiveInteger, withClient, type Env, type Out } from './with-client.js';

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
