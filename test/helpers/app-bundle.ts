/**
 * Shared bits of the Zapier app tests: a connection (`authData`), the app tester, and a reader for the JSON
 * messages that `z.errors.Error`/`ThrottledError` carry.
 */
import zapier from 'zapier-platform-core';
import App from '../../index';

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
    const { name, message } = error as Error;
    try {
      const parsed = JSON.parse(message) as { message: string; code?: string; status?: number; delay?: number | null };
      return { name, ...parsed };
    } catch {
      return { name, message };
    }
  }
  throw new Error('expected the call to throw, but it resolved');
}
