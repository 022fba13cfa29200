/** A local webhook receiver on 127.0.0.1 for the hook tests: records each delivery; its behaviour is switchable. */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One delivery as received. */
export interface ReceivedDelivery {
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, exactly as sent (what a signature is checked over). */
  raw: string;
  at: number;
}

/** How the receiver answers: a status, never (hang), or a byte every `intervalMs` without ever finishing. */
export type ReceiverMode = { status: number } | { hang: true } | { dripEveryMs: number };

export interface WebhookReceiver {
  url: string;
  port: number;
  received: ReceivedDelivery[];
  mode: ReceiverMode;
  /** When each connection closed, relative to when its request arrived (ms). */
  connectionLifetimesMs: number[];
  /** TCP connections accepted (a TLS attempt at this plain-http receiver counts, though it is no request). */
  connections: number;
  close(): Promise<void>;
}

export async function startReceiver(mode: ReceiverMode = { status: 200 }): Promise<WebhookReceiver> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const receiver: Omit<WebhookReceiver, 'url' | 'port' | 'close'> = { received: [], mode, connectionLifetimesMs: [], connections: 0 };
  const server = createServer((request, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const at = Date.now();
      receiver.received.push({ path: request.url ?? '', headers: request.headers, raw: Buffer.concat(chunks).toString('utf8'), at });
      request.socket.once('close', () => receiver.connectionLifetimesMs.push(Date.now() - at));
      const current = receiver.mode;
      if ('status' in current) {
        response.statusCode = current.status;
        response.end();
      } else if ('dripEveryMs' in current) {
        response.writeHead(200, { 'content-type': 'text/plain' });
        const timer = setInterval(() => response.write('.'), current.dripEveryMs);
        timers.add(timer);
        response.on('close', () => clearInterval(timer));
      }
      // { hang: true }: never answer.
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    receiver.connections += 1;
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver as WebhookReceiver, {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearInterval(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  });
}

/** Polls `condition` every 20 ms until it holds or `timeoutMs` passes. */
export async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}
