/**
 * The bench's processes: the reference server and the loopback app server each run in their own Node process
 * (so client, server and load generator do not share one event loop), started from the compiled dist/bench/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Credentials } from '@audit-trail/sdk/contract';

/** A started child and what it printed on its first line. */
export interface Child<T> {
  info: T;
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
