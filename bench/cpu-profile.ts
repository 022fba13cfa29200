/**
 * Reads a V8 CPU profile (`.cpuprofile`, from `node --cpu-prof` or the inspector's Profiler) and says where the
 * CPU went, by SELF time (the frame that was running when sampled), two ways:
 * - by package: a dependency's name (`fastify`, `pg-protocol`, ...), a workspace area (`server/store`,
 *   `sdk/contract`), a Node internal (`node:internal/streams`), garbage collection;
 * - the top functions, with file and line.
 * A native function (node:sqlite's `run`, `createHash`'s digest, `JSON.parse`) has no file of its own: its time is
 * charged to the nearest JavaScript frame that called it, shown as `native <name> ← <caller>`, so SQLite's time
 * lands on the repository that ran the statement instead of an anonymous "(native)" bucket.
 * Idle samples and the profiler's own are not counted; the profile's window is the caller's choice (bench/scale-server.ts profiles from
 * `listen` to SIGTERM).
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

/** The package (or workspace area, or Node internal) a script URL belongs to. */
export function packageOf(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('/node_modules/');
  if (inModules >= 0) {
    const [first, second] = path.slice(inModules + '/node_modules/'.length).split('/');
    return first?.startsWith('@') ? `${first}/${second}` : (first ?? path);
  }
  const workspace = /\/(sdk|server|bench)\/(?:dist|src)\/(.+)$/.exec(path);
  if (workspace) {
    const parts = (workspace[2] ?? '').split('/');
    return parts.length > 1 ? `${workspace[1]}/${parts[0]}` : `${workspace[1]}`;
  }
  if (path.startsWith('node:')) {
    const parts = path.split('/');
    return parts[0] === 'node:internal' && parts.length > 2 ? `${parts[0]}/${parts[1]}` : (parts[0] ?? path);
  }
  return path || '(unknown)';
}

/** `file:line` relative to the package or workspace, for a function's label. */
function shortFile(url: string, lineNumber: number): string {
  const path = url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '').replace(/^.*\/((?:sdk|server|bench)\/(?:dist|src)\/)/, '$1');
  return `${path}:${lineNumber + 1}`;
}

/** Busy CPU seconds of the profile and a printable breakdown (by package, top functions). */
export function summarizeCpuProfile(profile: CpuProfile, topFunctions = 20): { busySeconds: number; text: string; byPackage: Map<string, number> } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  /** The nearest ancestor (or self) with a script URL. */
  const scriptFrame = (id: number): ProfileNode | undefined => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      if (node?.callFrame.url) return node;
    }
    return undefined;
  };
  /** Samples of the profiler's own session (stopping it serialises the profile in this process) are not the work. */
  const profilerOwn = new Set<number>();
  for (const node of profile.nodes) {
    for (let at: number | undefined = node.id; at !== undefined; at = parent.get(at)) {
      if (byId.get(at)?.callFrame.url === 'node:inspector' || byId.get(at)?.callFrame.url.startsWith('node:inspector/')) {
        profilerOwn.add(node.id);
        break;
      }
    }
  }
  const packages = new Map<string, number>();
  const functions = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, micros: number) => map.set(key, (map.get(key) ?? 0) + micros);
  let busy = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]!);
    // timeDeltas[i] is the time since the previous sample: the interval that ends at sample i.
    const micros = profile.timeDeltas[i] ?? 0;
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || profilerOwn.has(node.id)) continue;
    busy += micros;
    if (functionName === '(garbage collector)' || functionName === '(program)' || functionName === '(root)') {
      const label = functionName === '(garbage collector)' ? 'garbage collection' : 'V8 / runtime (program)';
      add(packages, label, micros);
      add(functions, label, micros);
      continue;
    }
    if (url) {
      add(packages, packageOf(url), micros);
      add(functions, `${functionName || '(anonymous)'} ${shortFile(url, lineNumber)}`, micros);
      continue;
    }
    const caller = scriptFrame(node.id);
    const callerName = caller ? `${caller.callFrame.functionName || '(anonymous)'} ${shortFile(caller.callFrame.url, caller.callFrame.lineNumber)}` : '(no caller)';
    add(packages, `${caller ? packageOf(caller.callFrame.url) : '(no caller)'} (native)`, micros);
    add(functions, `native ${functionName || '(anonymous)'} ← ${callerName}`, micros);
  }
  const share = (micros: number) => `${((micros / busy) * 100).toFixed(1).padStart(5)}%`;
  const top = (map: Map<string, number>, n: number) =>
    [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, micros]) => `  ${share(micros)}  ${name}`);
  return {
    busySeconds: busy / 1e6,
    byPackage: packages,
    text: ['Self CPU time by package (native calls charged to their caller):', ...top(packages, 15), 'Top functions (self time):', ...top(functions, topFunctions)].join('\n'),
  };
}
