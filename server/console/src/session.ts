/**
 * The signed-in credentials. They live in this tab's sessionStorage (so a reload keeps you signed in, and closing
 * the tab forgets them) and in memory; never in localStorage, a cookie or a URL.
 */

/** What the API's Basic auth and `Application-Id` header need. */
export interface Session {
  organizationId: string;
  applicationId: string;
  apiSecret: string;
}

const KEY = 'audit-trail-console-session';

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<Session>;
    const { organizationId, applicationId, apiSecret } = value;
    if (typeof organizationId === 'string' && typeof applicationId === 'string' && typeof apiSecret === 'string') {
      return { organizationId, applicationId, apiSecret };
    }
  } catch {
    // Storage disabled or a damaged value: sign in again.
  }
  return null;
}

export function saveSession(session: Session): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(session));
  } catch {
    // Storage disabled: the session then lasts until the page is reloaded.
  }
}

export function clearSession(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing stored.
  }
}
