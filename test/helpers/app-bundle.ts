/**
 * Shared bits of the Zapier app tests: a connection (`authData`), the app tester, and a reader for the JSON
 * messages that `z.errors.Error`/`ThrottledError` carry.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import zapier from 'zapier-platform-core';
import App from '../../index';
import { PATHS, type StoredEntry } from '../../sdk/src/contract/schemas';
import entrySample from '../../samples/stored_entry.json';

/** A fake service address for nock tests (nothing listens there). */
export const NOCK_BASE_URL = 'https://audit.example.test';

/** A connection as the user would enter it, pointing at {@link NOCK_BASE_URL}. */
export const authData = {
  baseUrl: `${NOCK_BASE_URL}/`,
  organizationId: 'org_acme',
  apiSecret: 's3cr3t-value-never-logged',
  applicationId: 'app_billing',
};

/** The app tester of the app under test. */
export const appTester = zapier.createAppTester(App);

/** The parts of a thrown `z.errors.Error` (whose message is JSON) or a plain error. */
export interface ThrownError {
  name: string;
  message: string;
  code?: string;
  status?: number;
  delay?: number | null;
}

/** Runs `fn`, expects it to throw and returns what was thrown, with `z.errors`' JSON message unpacked. */
export async function thrownBy(fn: () => Promise<unknown>): Promise<ThrownError> {
  try {
    await fn();
  } catch (error) {
    const { name } = error as Error;
    // The app tester (like the CLI) appends "What happened: …" with the bundle to some errors; Zapier shows the user
    // only the message itself.
    const message = (error as Error).message.split('\nWhat happened:')[0] ?? '';
    try {
      const parsed = JSON.parse(message) as { message: string; code?: string; status?: number; delay?: number | null };
      return { name, ...parsed };
    } catch {
      return { name, message };
    }
  }
  throw new Error('expected the call to throw, but it resolved');
}

/** `http://127.0.0.1:<port>` of a port nothing listens on (it was free a moment ago): connections are refused. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** The entry sample as the service stores it: without what the app adds (`logEntryId`, `entryUrl`, `detailsOmitted`). */
export const storedSample: StoredEntry = (() => {
  const { logEntryId: _id, entryUrl: _url, detailsOmitted: _omitted, ...stored } = entrySample;
  return stored as StoredEntry;
})();

/** A stored entry as the app outputs it for a connection to {@link NOCK_BASE_URL}. */
export const outputOf = (entry: StoredEntry, baseUrl: string = NOCK_BASE_URL) => ({
  ...entry,
  logEntryId: entry.id,
  entryUrl: `${baseUrl}${PATHS.entryById}?entryId=${encodeURIComponent(entry.id)}`,
  detailsOmitted: false,
});
