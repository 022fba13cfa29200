/**
 * The jest lifecycle of a test file's server, in one line: `const server = useServer();` starts the real server
 * in `beforeAll` and stops it in `afterAll` (see {@link startServer}). Call it at the top of the file, before the
 * file's own `beforeAll`, so the server is up when those run.
 */
import { startServer, type StartServerOptions, type TestServer } from './start-server.js';

/**
 * Registers the hooks and returns the server. The server exists only once `beforeAll` has run, so what is
 * returned stands in for it (every property read goes to the running server) and may be captured at the top of
 * the file; reading it outside a hook or test fails with a clear error.
 */
export function useServer(options: StartServerOptions = {}): TestServer {
  let running: TestServer | undefined;
  beforeAll(async () => {
    running = await startServer(options);
  });
  afterAll(async () => {
    await running?.close();
    running = undefined;
  });
  return new Proxy({} as TestServer, {
    get(_target, property) {
      if (!running) throw new Error(`useServer(): server.${String(property)} read before beforeAll started the server`);
      return Reflect.get(running, property) as unknown;
    },
  });
}
