/** `audit-trail verify`: asks the service (or, with `--local`, the SDK here) to verify the chain. */
import { positiveInteger, withClient, type Env, type Out } from './with-client.js';

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
