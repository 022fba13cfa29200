/**
 * nock set-up shared by the wire-level tests (SDK and Zapier app). Jest may run several test files in one process,
 * each with its own nock instance; `nock.restore()` in `afterAll` takes this file's interceptor off `http` so that a
 * later file's nock is the only one answering (otherwise this one, with net connect re-enabled, lets requests
 * through to DNS).
 */
import nock from 'nock';

/**
 * Blocks all network but 127.0.0.1, aborts and clears mocks after each test, and uninstalls nock after the file.
 * `cleanup` runs in `afterAll` before nock is uninstalled (e.g. closing a client's connection pool).
 */
export function useNock(cleanup?: () => unknown): void {
  beforeAll(() => {
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterEach(() => {
    nock.abortPendingRequests();
    nock.cleanAll();
  });
  afterAll(async () => {
    await cleanup?.();
    nock.enableNetConnect();
    nock.restore();
  });
}
