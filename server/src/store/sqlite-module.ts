/**
 * Loads `node:sqlite`. Node 22 flags it experimental and prints an ExperimentalWarning on load; that one warning
 * is noise for a server that depends on it on purpose, so it alone is filtered out while the module loads.
 */
type SqliteModule = typeof import('node:sqlite');

function loadSqlite(): SqliteModule {
  const emitWarning = process.emitWarning;
  process.emitWarning = function filtered(this: NodeJS.Process, warning: string | Error, ...rest: unknown[]): void {
    const text = typeof warning === 'string' ? warning : warning.message;
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if ((type === 'ExperimentalWarning' || (warning instanceof Error && warning.name === 'ExperimentalWarning')) && /SQLite/i.test(text)) {
      return;
    }
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('node:sqlite') as SqliteModule;
  } finally {
    process.emitWarning = emitWarning;
  }
}

/** The `node:sqlite` module, loaded once without its ExperimentalWarning. */
export const sqlite: SqliteModule = loadSqlite();
