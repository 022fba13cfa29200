/**
 * The bench's processes: the reference server and the loopback app server each run in their own Node process
 * (so client, server and load generator do not share one event loop), started from the compiled dist/bench/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Credentials } from '@audit-trail/sdk/contract';

/** A started child and what it printed on its first line. */
export interface Child<T> {
  info: T;
  /** The child's process id (to read its CPU time from /proc, see {@link processCpuMicros}). */
  pid: number;
  stop(): Promise<void>;
}

/**
 * Spawns `dist/bench/<script>.js` (with `nodeArgs` for Node itself, e.g. `--cpu-prof`) and resolves with the JSON
 * it prints on its first stdout line.
 */
export function startChild<T>(script: string, env: NodeJS.ProcessEnv = {}, nodeArgs: readonly string[] = []): Promise<Child<T>> {
  const proc: ChildProcess = spawn(process.execPath, [...nodeArgs, path.join(__dirname, `${script}.js`)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString();
      const newline = buffer.indexOf('\n');
      if (newline < 0) return;
      proc.stdout?.off('data', onData);
      const info = JSON.parse(buffer.slice(0, newline)) as T;
      resolve({
        info,
        pid: proc.pid as number,
        stop: () =>
          new Promise<void>((done) => {
            if (proc.exitCode !== null) return done();
            proc.once('exit', () => done());
            proc.kill('SIGTERM');
          }),
      });
    };
    proc.stdout?.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`${script} exited with code ${code} before starting`)));
  });
}

/**
 * CPU time (user + system, every thread) a process has used so far, in µs, from `/proc/<pid>/stat`; `undefined`
 * where there is no /proc (not Linux). The kernel counts it in clock ticks of 10 ms (USER_HZ is 100 on Linux), so
 * a reading is only worth taking over a window of a second or more.
 */
export function processCpuMicros(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name (which may hold spaces, inside parentheses): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** What the reference-server child prints. */
export interface ReferenceServerInfo {
  baseUrl: string;
  /** Fresh applications, one per measurement. */
  tenants: Credentials[];
}

/** What the app-server child prints. */
export interface AppServerInfo {
  url: string;
}
