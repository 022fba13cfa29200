/**
 * What the SDK costs the service that uses it, beside its peers (posthog-node, @segment/analytics-node) measured in
 * the same run against the same sink: all CPU per event until delivered, and the requests/s a loopback web app
 * keeps when it records one event per request (as a ratio of the same app recording nothing).
 */
import autocannon from 'autocannon';
import { startChild, type AppServerInfo } from '../children.js';
import { interleaved, ratios, show, spread, type Report, type Suite } from '../harness.js';
import { PEERS, type PeerName } from '../peers.js';

async function cpuPerEvent(peer: PeerName, sink: string): Promise<number> {
  const child = await startChild<{ cpuMicrosPerEvent: number }>('sdk-cost-child', { BENCH_PEER: peer, BENCH_SINK: sink });
  await child.stop();
  return child.info.cpuMicrosPerEvent;
}

async function appRate(mode: 'plain' | PeerName, sink: string): Promise<number> {
  const app = await startChild<AppServerInfo>('app-server', { BENCH_MODE: mode, BENCH_SINK: sink });
  try {
    const load = (duration: number) => autocannon({ url: app.info.url, connections: 50, duration, pipelining: 1 });
    await load(1); // warm-up
    return (await load(5)).requests.average;
  } finally {
    await app.stop();
  }
}

export const overheadSuite: Suite = {
  name: 'overhead',
  description: 'SDK cost to its host vs posthog-node and @segment/analytics-node: CPU per event, web app req/s ratio',
  async run(report: Report): Promise<void> {
    const sink = await startChild<AppServerInfo>('sink-server');
    try {
      const cpu = await interleaved(Object.fromEntries(PEERS.map((peer) => [peer, () => cpuPerEvent(peer, sink.info.url)])) as Record<PeerName, () => Promise<number>>);
      report.row('CPU per event until delivered: audit-trail', show(spread(cpu['audit-trail']), 'µs', 1), '≤ 5 µs');
      report.row('CPU per event until delivered: posthog-node', show(spread(cpu.posthog), 'µs', 1), 'peer');
      report.row('CPU per event until delivered: @segment/analytics-node', show(spread(cpu.segment), 'µs', 1), 'peer');

      const rates = await interleaved({
        plain: () => appRate('plain', sink.info.url),
        'audit-trail': () => appRate('audit-trail', sink.info.url),
        posthog: () => appRate('posthog', sink.info.url),
        segment: () => appRate('segment', sink.info.url),
      });
      report.row('web app, no SDK (autocannon, 50 conns, 5 s)', show(spread(rates.plain), 'req/s'));
      report.row('web app ratio with audit-trail enqueue', show(ratios(rates['audit-trail'], rates.plain), '', 2), '≥ 0.85');
      report.row('web app ratio with posthog-node capture', show(ratios(rates.posthog, rates.plain), '', 2), 'peer');
      report.row('web app ratio with segment track', show(ratios(rates.segment, rates.plain), '', 2), 'peer');
    } finally {
      await sink.stop();
    }
  },
};
