/** `audit-trail log <actor> <action> [details]`: records one entry with the SDK and prints the receipt. */
import type { Entry } from '@audit-trail/sdk/contract';
import { parseDetailsText } from '@audit-trail/sdk/contract';
import { UsageError } from '../environment.js';
import { withClient, type Env, type Out } from './with-client.js';

/** `log <actor> <action> [details]`: records one entry and prints the receipt. Details: a JSON object or text. */
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
  if (details !== undefined) {
    // The Zapier app's rule: text that starts like JSON must be a JSON object, never stored as text by mistake.
    const parsed = parseDetailsText(details);
    if (!parsed.ok) {
      throw new UsageError(
        parsed.problem === 'malformed_json'
          ? `details look like JSON but do not parse (${parsed.parserMessage}); fix the JSON, or give plain text`
          : 'details must be a JSON object or plain text, not a JSON array',
      );
    }
    entry.details = parsed.details;
  }
  if (flags['entity-type'] !== undefined) entry.entityType = flags['entity-type'];
  if (flags['entity-id'] !== undefined) entry.entityId = flags['entity-id'];
  if (flags['idempotency-key'] !== undefined) entry.idempotencyKey = flags['idempotency-key'];
  const receipt = await withClient(env, (client) => client.log(entry));
  out(JSON.stringify(receipt, null, 2));
  return 0;
}
