/**
 * An HTTP fault-injection proxy on 127.0.0.1 for the fault suite: forwards to an upstream server (the real
 * reference server) and, on command, misbehaves the way networks and overloaded services do.
 *
 * Faults are queued and consumed one per request, in order:
 * - `status`: answer with this status (and headers) without forwarding (500 bursts, 429 + Retry-After);
 * - `reset-before`: reset the connection without forwarding (nothing stored);
 * - `reset-after`: forward, let the server store the batch, then reset instead of replying;
 * - `delay`: forward, then hold the reply for `ms` (longer than the client's timeout: stored, but the client
 *   never sees the receipt).
 * `down()` refuses connections (listener closed, open sockets destroyed); `up()` listens again on the same port.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One injected fault. */
export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string> }
  | { kind: 'reset-before' }
  | { kind: 'reset-after' }
  | { kind: 'delay'; ms: number };

/** What the proxy saw. */
export interface FaultCounts {
  /** Requests that arrived. */
  requests: number;
  /** Requests forwarded to the upstream. */
  forwarded: number;
  /** Replies being held right now by a `delay` fault (stored upstream, not yet answered). */
  held: number;
  /** Faults applied, by kind (`status` counted as `status-<code>`). */
  faults: Record<string, number>;
}

/** A running proxy. */
export interface FaultProxy {
  /** e.g. `http://127.0.0.1:41235`. */
  url: string;
  /** Queues `fault` for the next `times` requests. */
  inject(fault: Fault, times?: number): void;
  /** Faults still queued. */
  readonly pending: number;
  /** Counters. */
  readonly counts: FaultCounts;
  /** Refuses connections until `up()`. */
  down(): Promise<void>;
  /** Accepts connections again, on the same port. */
  up(): Promise<void>;
  /** Stops the proxy. */
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/** Starts a proxy in front of `upstream` (e.g. `http://127.0.0.1:41234`). */
export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  const agent = new http.Agent({ keepAlive: true });
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const faults: Fault[] = [];
  const counts: FaultCounts = { requests: 0, forwarded: 0, held: 0, faults: {} };
  const count = (name: string): void => {
    counts.faults[name] = (counts.faults[name] ?? 0) + 1;
  };

  const forward = (req: http.IncomingMessage, body: Buffer): Promise<{ status: number; headers: http.OutgoingHttpHeaders; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
      const upstreamRequest = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            counts.forwarded += 1;
            const out: http.OutgoingHttpHeaders = {};
            for (const [name, value] of Object.entries(response.headers)) if (!HOP_BY_HOP.has(name)) out[name] = value;
            resolve({ status: response.statusCode ?? 502, headers: out, body: Buffer.concat(chunks) });
          });
          response.on('error', reject);
        },
      );
      upstreamRequest.on('error', reject);
      upstreamRequest.end(body);
    });

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    counts.requests += 1;
    const fault = faults.shift();
    if (fault?.kind === 'status') {
      count(`status-${fault.status}`);
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(JSON.stringify({ error: { code: fault.status === 429 ? 'rate_limited' : 'internal_error', message: 'injected fault' } }));
      return;
    }
    if (fault?.kind === 'reset-before') {
      count('reset-before');
      req.socket.resetAndDestroy();
      return;
    }
    let reply;
    try {
      reply = await forward(req, Buffer.concat(chunks));
    } catch {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'reset-after') {
      count('reset-after');
      req.socket.resetAndDestroy();
      return;
    }
    const send = (): void => {
      if (res.destroyed) return;
      res.writeHead(reply.status, { ...reply.headers, 'content-length': String(reply.body.length) });
      res.end(reply.body);
    };
    if (fault?.kind === 'delay') {
      count('delay');
      counts.held += 1;
      const timer = setTimeout(() => {
        timers.delete(timer);
        counts.held -= 1;
        send();
      }, fault.ms);
      timers.add(timer);
      return;
    }
    send();
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const listen = (port: number): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });

  await listen(0);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    inject(fault, times = 1) {
      for (let i = 0; i < times; i++) faults.push(fault);
    },
    get pending() {
      return faults.length;
    },
    counts,
    down: stop,
    up: () => listen(port),
    async close() {
      for (const timer of timers) clearTimeout(timer);
      await stop();
      agent.destroy();
    },
  };
}
