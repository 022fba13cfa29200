/**
 * What the SDK costs the service that uses it, beside its peers (posthog-node, @segment/analytics-node) measured in
 * the same run against the same sink: all CPU per event until delivered, and the requests/s a loopback web app
 * keeps when it records one event per request (as a ratio of the same app recording nothing).
 */
import autocannon from 'autocannon';
import { startChild, type AppServerInfo } from '../children.js';
import { interleaved, ratios, show, spread, type Report, type Suite } from '../harness.js';
import { PEERS, type PeerName } from '../peers.js';

interface CpuCost {
  cpuMicrosPerEvent: number;
  secondHalfMicrosPerEvent: number;
}

/** One fresh process per measurement (bench/sdk-cost-child.ts); both figures come from the same process. */
async function cpuPerEvent(peer: PeerName, sink: string, halves: Map<PeerName, number[]>): Promise<number> {
  const child = await startChild<CpuCost>('sdk-cost-child', { BENCH_PEER: peer, BENCH_SINK: sink });
  await child.stop();
  halves.get(peer)?.push(child.info.secondHalfMicrosPerEvent);
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
      const halves = new Map<PeerName, number[]>(PEERS.map((peer) => [peer, []]));
      const cpu = await interleaved(Object.fromEntries(PEERS.map((peer) => [peer, () => cpuPerEvent(peer, sink.info.url, halves)])) as Record<PeerName, () => Promise<number>>);
      report.row('CPU per event until delivered: audit-trail', show(spread(cpu['audit-trail']), 'µs', 1), '≤ 5 µs');
      report.row('CPU per event until delivered: posthog-node', show(spread(cpu.posthog), 'µs', 1), 'peer');
      report.row('CPU per event until delivered: @segment/analytics-node', show(spread(cpu.segment), 'µs', 1), 'peer');
      // The same processes' second halves: what each SDK costs once its code is compiled (the first half includes
      // V8's compilation of it, on background threads that the process's CPU counts).
      const second = (peer: PeerName): number[] => halves.get(peer) ?? [];
      report.row('… second half of the events only: audit-trail', show(spread(second('audit-trail')), 'µs', 1), 'informative');
      report.row('… second half of the events only: posthog-node', show(spread(second('posthog')), 'µs', 1), 'peer');
      report.row('… second half of the events only: @segment/analytics-node', show(spread(second('segment')), 'µs', 1), 'peer');

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
