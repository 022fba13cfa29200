/**
 * The SDK and its peers behind one tiny interface, for the overhead suite: our `enqueue`, PostHog's `capture` and
 * Segment's `track`, each pointed at the bench's sink on loopback with its own defaults otherwise.
 */
import { PostHog } from 'posthog-node';
import { Analytics } from '@segment/analytics-node';
import { AuditTrailClient } from '@audit-trail/sdk';

export type PeerName = 'audit-trail' | 'posthog' | 'segment';
export const PEERS: readonly PeerName[] = ['audit-trail', 'posthog', 'segment'];

/** Records one event per call; `close()` resolves once everything recorded was delivered. */
export interface Recorder {
  record(n: number, path: string): void;
  close(): Promise<void>;
}

export function recorder(peer: PeerName, sinkUrl: string): Recorder {
  switch (peer) {
    case 'audit-trail': {
      const client = new AuditTrailClient({
        baseUrl: sinkUrl,
        organizationId: 'org_bench',
        apiSecret: 'bench-secret',
        applicationId: 'app_bench',
        delivery: { whenFull: 'drop' },
      });
      return {
        record: (n, path) => client.enqueue({ actorId: 'user-42@example.com', action: 'PAGE_VIEW', details: { path, n } }),
        close: async () => {
          await client.close({ timeoutMs: 10_000 });
        },
      };
    }
    case 'posthog': {
      const client = new PostHog('phc_bench', { host: sinkUrl, disableGeoip: true });
      return {
        record: (n, path) => client.capture({ distinctId: 'user-42@example.com', event: 'PAGE_VIEW', properties: { path, n } }),
        close: () => client.shutdown(10_000),
      };
    }
    case 'segment': {
      const client = new Analytics({ writeKey: 'bench', host: sinkUrl });
      return {
        record: (n, path) => client.track({ userId: 'user-42@example.com', event: 'PAGE_VIEW', properties: { path, n } }),
        close: () => client.closeAndFlush({ timeout: 10_000 }),
      };
    }
  }
}
