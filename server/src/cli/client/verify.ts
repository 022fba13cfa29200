/**
 * `audit-trail verify`: asks the service (or, with `--local`, the SDK here) to verify the chain; `--local` also
 * recomputes the Merkle tree's root here and checks it against a checkpoint verified against the last one kept.
 */
import { isIntegrityError } from '@audit-trail/sdk';
import { UsageError } from '../environment.js';
import { describeTrust, positiveInteger, withClient, type Env, type Out } from './with-client.js';

/** `verify [--from N] [--to N] [--local [--state FILE]]`: exit code 0 when valid, 1 when not. */
export async function verifyCommand(flags: { from?: string; to?: string; local?: boolean; state?: string }, env: Env, out: Out): Promise<number> {
  const query = { fromSequence: positiveInteger(flags.from, '--from'), toSequence: positiveInteger(flags.to, '--to') };
  if (flags.state !== undefined && !flags.local) throw new UsageError('--state goes with --local: the client keeps the checkpoint');
  return withClient(
    env,
    async (client) => {
      const result = flags.local ? await client.verifyLocally(query) : await client.verify(query);
      out(JSON.stringify(result, null, 2));
      out(
        result.valid
          ? `Chain valid: ${result.checked} entries checked${flags.local ? ' locally' : ''}.`
          : result.firstBadEntryId === null
            ? `Chain INVALID: entries from sequence ${result.firstBadSequence} on are missing (${result.reason}).`
            : `Chain INVALID at entry ${result.firstBadEntryId} (sequence ${result.firstBadSequence}): ${result.reason}.`,
      );
      if (!result.valid) return 1;
      if (!flags.local) return 0;
      // The chain alone cannot see a rewrite with every hash recomputed, nor a truncation with the head moved
      // back; the signed tree, checked against the checkpoint kept from the last run, can (docs/verification.md).
      try {
        const tree = await client.verifyTreeLocally();
        out(`Tree valid: ${tree.checked} entries hash to the signed root of the checkpoint (${describeTrust(tree.checkpoint)}).`);
        return 0;
      } catch (error) {
        if (!isIntegrityError(error)) throw error;
        out(`Tree INVALID (${error.reason}): ${error.message}`);
        return 1;
      }
    },
    flags.state,
  );
}
