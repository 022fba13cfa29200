/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and says where the CPU went while the server was ingesting:
 * only the samples between the first and the last one inside `appendEntries` count (start-up and shutdown are
 * left out), grouped by module (who to blame) and by function (what to optimise).
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** The parts of a `.cpuprofile` this reads. */
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Which part of the stack a leaf frame belongs to. */
function moduleOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)' || functionName === '(root)') return 'V8 / native (unattributed)';
  if (/node_modules\/(pg|pg-protocol|pg-pool|pg-types|pgpass|postgres-)/.test(url)) return 'pg driver (protocol, parsing rows)';
  if (/node_modules\/(fastify|@fastify|find-my-way|avvio|light-my-request|fast-json-stringify|secure-json-parse|fast-querystring|pino|abstract-logging)/.test(url)) {
    return 'fastify (routing, hooks, JSON, logging)';
  }
  if (/node_modules\/(@sinclair|ajv)/.test(url)) return 'schema validation (TypeBox/ajv)';
  if (/\/sdk\/(dist|src)\//.test(url)) return 'SDK contract (validation, canonical JSON, SHA-256)';
  if (/\/server\/(dist|src)\//.test(url)) return 'server (ledger, routes, store)';
  if (url.startsWith('node:') || url === '') return 'Node internals (net, streams, crypto, JSON builtins)';
  return 'other dependencies';
}

/** Busy CPU seconds of the ingest window and a printable breakdown. */
export function summarizeCpuProfile(profile: CpuProfile): { busySeconds: number; text: string } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inAppend = (id: number): boolean => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      if (byId.get(at)?.callFrame.functionName === 'appendEntries') return true;
    }
    return false;
  };
  const first = profile.samples.findIndex(inAppend);
  let last = -1;
  for (let i = profile.samples.length - 1; i >= 0; i--) {
    if (inAppend(profile.samples[i]!)) {
      last = i;
      break;
    }
  }
  if (first < 0) return { busySeconds: 0, text: 'no sample inside appendEntries' };
  const modules = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  for (let i = first; i <= last; i++) {
    const node = byId.get(profile.samples[i]!);
    const micros = profile.timeDeltas[i + 1] ?? 0;
    if (!node || node.callFrame.functionName === '(idle)') continue;
    busy += micros;
    const { functionName, url, lineNumber } = node.callFrame;
    const module = moduleOf(url, functionName);
    modules.set(module, (modules.get(module) ?? 0) + micros);
    const where = url ? `${url.replace(/^.*\/(node_modules|sdk|server)\//, '$1/')}:${lineNumber + 1}` : '(native)';
    const name = `${functionName || '(anonymous)'} ${where}`;
    functions.set(name, (functions.get(name) ?? 0) + micros);
  }
  const share = (micros: number) => `${((micros / busy) * 100).toFixed(1).padStart(5)}%`;
  const top = (map: Map<string, number>, n: number) =>
    [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, micros]) => `  ${share(micros)}  ${name}`);
  return {
    busySeconds: busy / 1e6,
    text: ['Self CPU time by module:', ...top(modules, 12), 'Top functions (self time):', ...top(functions, 15)].join('\n'),
  };
}
