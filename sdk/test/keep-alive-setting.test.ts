/**
 * The transport sets a socket's TCP keep-alive once, not twice per request: axios sets a 60 s delay on every request's
 * socket and the agent, with Node's default of 1 s, set it back each time a request released the socket.
 *
 * Measured in a child process running the built SDK (`npm test` builds it first): in jest's shared worker, a test
 * file that loaded nock earlier can leave its interception of `http.request` in place, and then no real socket is
 * ever handed out.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SDK = resolve(__dirname, '../dist/index.js');

/**
 * In a fresh Node: a server on 127.0.0.1, 20 awaited `log()` calls, and a count of the changes of the keep-alive
 * setting of the client's sockets (Node makes the `setsockopt` calls only when `setKeepAlive` is given another value
 * than the socket has, so each change is a round of system calls). `agentDelayMs` replaces the SDK's agents'
 * delay (the 1 s Node default reproduces the bug).
 */
const CHILD = `
const http = require('node:http');
const net = require('node:net');
const { AuditTrailClient } = require(process.env.SDK);
const receipt = { logEntryId: '0192f1a2-0000-7000-8000-000000000001', sequence: 1, hash: 'a'.repeat(64) };
const server = http.createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(201, { 'content-type': 'application/json' });
    response.end(JSON.stringify(receipt));
  });
});
server.listen(0, '127.0.0.1', async () => {
  const port = server.address().port;
  const last = new Map();
  let changes = 0;
  const original = net.Socket.prototype.setKeepAlive;
  net.Socket.prototype.setKeepAlive = function (enable, delay) {
    if (this.remotePort === port) {
      const value = String(enable) + '/' + Math.trunc((delay ?? 0) / 1000);
      if (last.get(this) !== value) changes += 1;
      last.set(this, value);
    }
    return original.call(this, enable, delay);
  };
  if (process.env.AGENT_DELAY_MS) {
    const keep = http.Agent.prototype.keepSocketAlive;
    http.Agent.prototype.keepSocketAlive = function (socket) {
      this.keepAliveMsecs = Number(process.env.AGENT_DELAY_MS);
      return keep.call(this, socket);
    };
  }
  const client = new AuditTrailClient({ baseUrl: 'http://127.0.0.1:' + port, organizationId: 'org', apiSecret: 'secret-1234', applicationId: 'app' });
  for (let i = 0; i < 20; i++) await client.log({ actorId: 'ada', action: 'LOGIN' });
  await client.close();
  server.closeAllConnections();
  server.close();
  process.stdout.write(JSON.stringify({ sockets: last.size, changes }));
});
`;

async function measure(agentDelayMs?: number): Promise<{ sockets: number; changes: number }> {
  const env = { ...process.env, SDK, ...(agentDelayMs === undefined ? {} : { AGENT_DELAY_MS: String(agentDelayMs) }) };
  const { stdout } = await run(process.execPath, ['-e', CHILD], { env, timeout: 30_000 });
  return JSON.parse(stdout) as { sockets: number; changes: number };
}

beforeAll(() => {
  if (!existsSync(SDK)) throw new Error(`${SDK} is missing: run npm run build first (npm test does)`);
});

test('20 awaited log() calls share one kept-alive socket whose keep-alive setting is made once', async () => {
  expect(await measure()).toEqual({ sockets: 1, changes: 1 });
});

test("with Node's default agent delay (1 s), the same 20 calls change the setting twice per request", async () => {
  const { sockets, changes } = await measure(1000);
  expect(sockets).toBe(1);
  expect(changes).toBeGreaterThanOrEqual(39);
});
