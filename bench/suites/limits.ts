/**
 * What wrong-secret guessing costs a valid client (issue 10: each wrong secret costs a full scrypt, and a valid
 * client's median latency went 3 → 52 ms under 6 guesses/s). Three sides, interleaved, each on a fresh server
 * child: no guesses; 6 wrong-secret guesses/s with the failed-authentication limiter (the default); the same
 * guesses with the limiter off (its bounds set out of reach), the situation before it existed. The valid client
 * sends one single-entry append every 100 ms for the whole window, authenticated once before the guessing starts
 * (so its secret is remembered), from the same address as the guesser.
 */
import { PATHS, authHeaders, type Credentials } from '@audit-trail/sdk/contract';
import { startChild, type ReferenceServerInfo } from '../children.js';
import { interleaved, show, spread, type Report, type Suite } from '../harness.js';

const WINDOW_MS = 10_000;
const CLIENT_INTERVAL_MS = 100;
const GUESSES_PER_SECOND = 6;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function timedAppend(baseUrl: string, credentials: Credentials, i: number): Promise<number> {
  const started = process.hrtime.bigint();
  const response = await fetch(`${baseUrl}${PATHS.log('bench-user', 'LOGIN')}`, {
    method: 'POST',
    headers: { ...authHeaders(credentials), 'content-type': 'application/json' },
    body: JSON.stringify({ i }),
  });
  await response.arrayBuffer();
  if (response.status !== 201) throw new Error(`valid client got ${response.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** The valid client's median latency (ms) over the window, with `guessing` wrong secrets per second meanwhile. */
async function medianLatency(guessing: boolean, limiter: boolean): Promise<number> {
  const server = await startChild<ReferenceServerInfo>('reference-server', { BENCH_TENANTS: '1', ...(limiter ? {} : { BENCH_NO_AUTH_LIMIT: '1' }) });
  try {
    const { baseUrl } = server.info;
    const credentials = server.info.tenants[0]!;
    await timedAppend(baseUrl, credentials, -1); // the client's secret is verified (and remembered) once
    const end = Date.now() + WINDOW_MS;
    const guesses: Promise<unknown>[] = [];
    const guesser = (async () => {
      let n = 0;
      while (guessing && Date.now() < end) {
        const wrong = { ...credentials, apiSecret: `wrong-guess-${n++}` };
        guesses.push(fetch(`${baseUrl}${PATHS.authCheck}`, { headers: authHeaders(wrong) }).then((r) => r.arrayBuffer(), () => undefined));
        await sleep(1000 / GUESSES_PER_SECOND);
      }
    })();
    const latencies: number[] = [];
    for (let i = 0; Date.now() < end; i++) {
      latencies.push(await timedAppend(baseUrl, credentials, i));
      await sleep(CLIENT_INTERVAL_MS);
    }
    await guesser;
    await Promise.all(guesses);
    return spread(latencies).median;
  } finally {
    await server.stop();
  }
}

export const limitsSuite: Suite = {
  name: 'limits',
  description: "a valid client's median append latency with and without 6 wrong-secret guesses/s, limiter on and off",
  async run(report: Report): Promise<void> {
    const values = await interleaved({
      quiet: () => medianLatency(false, true),
      limited: () => medianLatency(true, true),
      unlimited: () => medianLatency(true, false),
    });
    const window = `${WINDOW_MS / 1000} s, one append per ${CLIENT_INTERVAL_MS} ms`;
    report.row(`valid client median latency, no guessing (${window})`, show(spread(values.quiet), 'ms', 1), 'baseline');
    report.row(`… under ${GUESSES_PER_SECOND} wrong-secret guesses/s, limiter on (default)`, show(spread(values.limited), 'ms', 1), 'close to baseline');
    report.row(`… under ${GUESSES_PER_SECOND} wrong-secret guesses/s, limiter off (as before it)`, show(spread(values.unlimited), 'ms', 1), 'peer: issue measured 3 → 52 ms');
  },
};
