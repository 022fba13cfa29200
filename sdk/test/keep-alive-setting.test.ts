/**
 * The transport sets a socket's TCP keep-alive once, not twice per request: axios sets a 60 s delay on every request's
 * socket and the agent, with Node's default of 1 s, set it back each time a request released the socket.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { AuditTrailClient } from '../src/client.js';

// Not the shared fixtures: they load nock, whose interception of http.request makes every connection close.
const RECEIPT = { logEntryId: '0192f1a2-0000-7000-8000-000000000001', sequence: 1, hash: 'a'.repeat(64) };

let server: http.Server;
let port: number;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(201, { 'content-type': 'application/json' });
      response.end(JSON.stringify(RECEIPT));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
const originalSetKeepAlive = net.Socket.prototype.setKeepAlive;
afterEach(() => {
  net.Socket.prototype.setKeepAlive = originalSetKeepAlive;
});

/**
 * Counts the changes of the TCP keep-alive setting of client-side sockets (those whose remote end is the test
 * server): Node makes the `setsockopt` system calls only when `setKeepAlive` is given another value than the
 * socket has, so each change is a round of system calls.
 */
function spyOnKeepAliveChanges(): { changes: () => number; sockets: () => number } {
  const last = new Map<net.Socket, string>();
  let changes = 0;
  net.Socket.prototype.setKeepAlive = function (this: net.Socket, enable?: boolean, delay?: number) {
    if (this.remotePort === port) {
      const value = `${String(enable)}/${Math.trunc((delay ?? 0) / 1000)}`;
      if (last.get(this) !== value) changes += 1;
      last.set(this, value);
    }
    return originalSetKeepAlive.call(this, enable, delay);
  };
  return { changes: () => changes, sockets: () => last.size };
}

const client = (): AuditTrailClient =>
  new AuditTrailClient({ baseUrl: `http://127.0.0.1:${port}`, organizationId: 'org', apiSecret: 'secret-1234', applicationId: 'app' });

test('20 awaited log() calls share one kept-alive socket whose keep-alive setting is made once', async () => {
  const spy = spyOnKeepAliveChanges();
  const sdk = client();
  for (let i = 0; i < 20; i++) await sdk.log({ actorId: 'ada', action: 'LOGIN' });
  await sdk.close();
  expect(spy.sockets()).toBe(1);
  expect(spy.changes()).toBe(1);
});
