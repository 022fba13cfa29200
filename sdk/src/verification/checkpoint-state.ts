/**
 * What a client remembers between its visits to one log: the verifier key it trusts and the last checkpoint it
 * verified. Kept in memory and, when a path is given, in a JSON state file (written whole to a temporary file and
 * renamed, mode 0600), so that a rewrite or truncation between two runs of a program is caught on the second run.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The remembered state of one log (one application's tree), by origin. */
export interface LogState {
  /** The verifier key trusted for this log: pinned, or the one seen on the first visit. */
  verifierKey: string;
  /** Size of the last verified checkpoint. */
  treeSize: number;
  /** Its root hash, base64. */
  rootHash: string;
  /** The signed checkpoint itself, as evidence. */
  checkpoint: string;
}

interface StateFile {
  version: 1;
  logs: Record<string, LogState>;
}

function isLogState(value: unknown): value is LogState {
  const state = value as LogState;
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof state.verifierKey === 'string' &&
    Number.isSafeInteger(state.treeSize) &&
    typeof state.rootHash === 'string' &&
    typeof state.checkpoint === 'string'
  );
}

/** The last verified checkpoint of each log, in memory and optionally in a file. */
export class CheckpointState {
  readonly #logs = new Map<string, LogState>();
  readonly #path: string | undefined;
  #loaded = false;
  #writing: Promise<void> = Promise.resolve();

  /** @param path - The state file; none keeps the state in memory only. */
  constructor(path?: string) {
    this.#path = path;
  }

  async #load(): Promise<void> {
    if (this.#loaded || this.#path === undefined) return;
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.#loaded = true;
      return;
    }
    let parsed: StateFile;
    try {
      parsed = JSON.parse(text) as StateFile;
    } catch {
      throw new TypeError(`the checkpoint state file ${this.#path} is not JSON; move it away to start over`);
    }
    if (parsed?.version !== 1 || typeof parsed.logs !== 'object' || parsed.logs === null) {
      throw new TypeError(`the checkpoint state file ${this.#path} is not a version 1 state file`);
    }
    for (const [origin, state] of Object.entries(parsed.logs)) {
      if (isLogState(state) && !this.#logs.has(origin)) this.#logs.set(origin, state);
    }
    this.#loaded = true;
  }

  /** The remembered state of a log, if any. */
  async get(origin: string): Promise<LogState | undefined> {
    await this.#load();
    return this.#logs.get(origin);
  }

  /** Remembers a log's state (and writes the file, when there is one). */
  async set(origin: string, state: LogState): Promise<void> {
    await this.#load();
    this.#logs.set(origin, state);
    const path = this.#path;
    if (path === undefined) return;
    const body: StateFile = { version: 1, logs: Object.fromEntries(this.#logs) };
    // Writes take turns, so an older state never lands after a newer one.
    this.#writing = this.#writing.catch(() => undefined).then(async () => {
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
      await rename(temporary, path);
    });
    await this.#writing;
  }
}
