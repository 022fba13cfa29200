/** `audit-trail checkpoint`: the service's latest checkpoint, verified by the SDK against the last one kept. */
import { isIntegrityError } from '@audit-trail/sdk';
import { describeTrust, withClient, type Env, type Out } from './with-client.js';

/** `checkpoint [--state FILE] [--json]`: prints the verified checkpoint; exit code 1 when it is refused. */
export async function checkpointCommand(flags: { state?: string; json?: boolean }, env: Env, out: Out): Promise<number> {
  return withClient(
    env,
    async (client) => {
      try {
        const checkpoint = await client.latestCheckpoint();
        if (flags.json) {
          const { origin, treeSize, verifierKey, trustedOnFirstUse } = checkpoint;
          const rootHash = checkpoint.rootHash.toString('base64');
          out(JSON.stringify({ origin, treeSize, rootHash, checkpoint: checkpoint.checkpoint, verifierKey, trustedOnFirstUse }, null, 2));
        } else {
          out(checkpoint.checkpoint.trimEnd());
          out('');
          out(`Verified: ${checkpoint.treeSize} entries (${describeTrust(checkpoint)}).`);
        }
        return 0;
      } catch (error) {
        if (!isIntegrityError(error)) throw error;
        out(`Checkpoint REFUSED (${error.reason}): ${error.message}`);
        return 1;
      }
    },
    flags.state,
  );
}
