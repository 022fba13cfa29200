import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { normalizeDeliveryOptions } from '../../src/delivery/options.js';
import { Publisher } from '../../src/delivery/publisher.js';
import { Spool } from '../../src/delivery/spool.js';
import { FakeTransport, entry } from './fake-transport.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-spool-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const options = (fsync: 'always' | 'batch' | 'never' = 'always') => ({ dir, fsync, fsyncIntervalMs: 1000, staleLockMs: 30_000 });
const line = (key: string): string => JSON.stringify({ idempotencyKey: key, actorId: 'a', action: 'A' });
/** A line as the publisher appends it: the entry's UTF-8 bytes. */
const bytes = (key: string): Buffer => Buffer.from(line(key));

describe('Spool', () => {
  it('gives back, on the next open, every appended entry not yet acknowledged', () => {
    const first = Spool.open(options()).spool;
    const segments = ['k1', 'k2', 'k3'].map((key) => ({ key, segment: first.append(bytes(key)) }));
    first.ack([segments[1] as { key: string; segment: number }]);
    first.close();
    const { spool, restored } = Spool.open(options());
    expect(restored.map((r) => r.key)).toEqual(['k1', 'k3']);
    expect(restored[0]).toMatchObject({ json: line('k1'), bytes: Buffer.byteLength(line('k1')) });
    spool.close();
  });

  it('deletes a segment once all its entries are acknowledged', () => {
    const { spool } = Spool.open(options('never'));
    const acks = ['a', 'b'].map((key) => ({ key, segment: spool.append(bytes(key)) }));
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('seg-'))).toHaveLength(1);
    spool.ack(acks);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('seg-'))).toEqual([]);
    spool.append(bytes('c'));
    spool.close();
    expect(Spool.open(options()).restored.map((r) => r.key)).toEqual(['c']);
  });

  it('skips a torn last line (a write cut short by a power loss)', () => {
    const { spool } = Spool.open(options());
    spool.append(bytes('whole'));
    spool.close();
    const [segment] = fs.readdirSync(dir).filter((f) => f.endsWith('.ndjson'));
    fs.appendFileSync(path.join(dir, segment as string), line('torn').slice(0, 20));
    const reopened = Spool.open(options());
    expect(reopened.restored.map((r) => r.key)).toEqual(['whole']);
    reopened.spool.close();
  });

  it('refuses a directory locked by another live process and takes over a dead one\'s lock', () => {
    const lock = path.join(dir, 'spool.lock');
    fs.writeFileSync(lock, JSON.stringify({ host: os.hostname(), pid: process.ppid, token: 't-parent' }));
    expect(() => Spool.open(options())).toThrow(`in use by process ${process.ppid} on host ${os.hostname()}`);
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
    fs.writeFileSync(lock, JSON.stringify({ host: os.hostname(), pid: dead, token: 't-dead' }));
    const { spool } = Spool.open(options());
    expect(JSON.parse(fs.readFileSync(lock, 'utf8'))).toMatchObject({ host: os.hostname(), pid: process.pid });
    spool.close();
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('reads the old lock format (a bare pid) as a lock of this host', () => {
    fs.writeFileSync(path.join(dir, 'spool.lock'), String(process.ppid));
    expect(() => Spool.open(options())).toThrow(/in use by process/);
  });

  it('refuses a lock another client has created but not written yet, takes it over once it went stale', () => {
    // The winner of the exclusive create writes its owner a moment later: a racer reading in between sees an
    // empty file. Taking that as a dead owner's lock removed the winner's lock and let two clients hold it
    // (test/fault/spool-lock-race.test.ts, now and then under load).
    const lock = path.join(dir, 'spool.lock');
    fs.writeFileSync(lock, '');
    expect(() => Spool.open(options())).toThrow(/is being taken by another client/);
    expect(fs.readFileSync(lock, 'utf8')).toBe('');
    fs.writeFileSync(lock, '{"host":"half-writ');
    expect(() => Spool.open(options())).toThrow(/is being taken by another client/);
    // Its writer died between create and write: stale like any other lock after staleLockMs.
    const old = new Date(Date.now() - 31_000);
    fs.utimesSync(lock, old, old);
    const { spool } = Spool.open(options());
    expect(JSON.parse(fs.readFileSync(lock, 'utf8'))).toMatchObject({ host: os.hostname(), pid: process.pid });
    spool.close();
  });

  it('refuses a fresh lock of another host (a container sharing the volume), takes it over once it went stale', () => {
    const lock = path.join(dir, 'spool.lock');
    // pid 1 on another host: the usual container; its liveness cannot be checked from here, only its heartbeat.
    fs.writeFileSync(lock, JSON.stringify({ host: 'other-container', pid: 1, token: 't-other' }));
    expect(() => Spool.open(options())).toThrow(/in use by process 1 on host other-container \(lock touched 0 s ago\)/);
    const old = new Date(Date.now() - 31_000);
    fs.utimesSync(lock, old, old);
    const { spool } = Spool.open(options());
    expect(JSON.parse(fs.readFileSync(lock, 'utf8'))).toMatchObject({ host: os.hostname(), pid: process.pid });
    spool.close();
  });

  it('keeps its own lock fresh (the heartbeat other hosts judge it by) and removes only its own lock', async () => {
    const { spool } = Spool.open({ ...options(), staleLockMs: 90 });
    const lock = path.join(dir, 'spool.lock');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, old, old);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(Date.now() - fs.statSync(lock).mtimeMs).toBeLessThan(1000);
    // Someone replaced the lock (an operator, a takeover): closing must not delete theirs.
    fs.writeFileSync(lock, JSON.stringify({ host: 'other-container', pid: 1, token: 't-other' }));
    spool.close();
    expect(fs.existsSync(lock)).toBe(true);
  });
});

describe('Publisher with a spool', () => {
  it('leaves undelivered entries in the spool on a close timeout, and the next publisher sends them with the same keys', async () => {
    const down = new FakeTransport();
    for (let i = 0; i < 100; i++) down.script.push({ status: 503 });
    const first = new Publisher({
      transport: down,
      options: normalizeDeliveryOptions({ spool: options(), retry: { baseDelayMs: 10, maxDelayMs: 20 } }),
    });
    const spooled: number[] = [];
    first.on('spooled', ({ count }) => spooled.push(count));
    for (let i = 0; i < 5; i++) first.enqueue(entry(i));
    expect(spooled).toEqual([1, 1, 1, 1, 1]);
    const closed = await first.close({ timeoutMs: 100 });
    expect(closed).toMatchObject({ drained: false, keptInSpool: true });
    expect(closed.undelivered).toHaveLength(5);

    const up = new FakeTransport();
    const second = new Publisher({ transport: up, options: normalizeDeliveryOptions({ spool: options() }) });
    expect(second.stats.restored).toBe(5);
    await second.flush();
    expect(up.batches.flat().map((e) => e.idempotencyKey)).toEqual(closed.undelivered.map((u) => u.idempotencyKey));
    expect(up.batches.flat().map((e) => e.actorId)).toEqual(['user-0', 'user-1', 'user-2', 'user-3', 'user-4']);
    await second.close();
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
