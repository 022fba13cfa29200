/**
 * The console's entry point: sign-in state and a hash router (`#/`, `#/entry/{id}`, `#/verify`). The hash holds
 * view names and entry ids only, never a credential.
 */
import type { AuthCheckResponse } from '@audit-trail/sdk/contract';
import { checkCredentials, ApiFailure } from './api.js';
import { el, replace } from './dom.js';
import { renderEntryList, resetListState } from './entry-list.js';
import { renderEntryPage } from './entry-page.js';
import { clearSession, loadSession, saveSession, type Session } from './session.js';
import { renderSignIn } from './sign-in.js';
import { renderVerifyPanel } from './verify-panel.js';

const main = document.getElementById('main') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
const who = document.getElementById('who') as HTMLElement;
const signOutButton = document.getElementById('sign-out') as HTMLButtonElement;

let session: Session | null = null;

function setSignedIn(next: Session | null, identity?: AuthCheckResponse): void {
  session = next;
  nav.hidden = next === null;
  signOutButton.hidden = next === null;
  replace(who, identity ? el('span', { title: `Organization ${identity.organizationId}, application ${identity.applicationId}` },
    `${identity.organizationName} · ${identity.applicationName}`) : '');
}

function signOut(message?: string): void {
  clearSession();
  resetListState();
  setSignedIn(null);
  showSignIn(message);
}

function showSignIn(notice?: string): void {
  renderSignIn(main, (checked, identity) => {
    saveSession(checked);
    setSignedIn(checked, identity);
    // Stay on the view the address asks for (e.g. an entry link opened while signed out).
    route();
  }, notice);
}

function markCurrent(path: string): void {
  for (const link of Array.from(nav.querySelectorAll('a'))) {
    const current = link.getAttribute('href') === (path === 'verify' ? '#/verify' : '#/');
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function route(): void {
  if (!session) return showSignIn();
  const [view = '', id] = location.hash.replace(/^#\/?/, '').split('/');
  markCurrent(view);
  const expired = (message: string): void => signOut(message);
  if (view === 'entry' && id) renderEntryPage(main, session, decodeURIComponent(id), expired);
  else if (view === 'verify') renderVerifyPanel(main, session, expired);
  else renderEntryList(main, session, expired);
  const heading = main.querySelector<HTMLElement>('h1');
  if (view !== 'verify') heading?.focus();
  document.title = `${heading?.textContent ?? 'Audit Trail'} · Audit Trail console`;
}

document.addEventListener('keydown', (event) => {
  // Escape on an entry goes back to the list, unless the key was for a form control.
  if (event.key === 'Escape' && location.hash.startsWith('#/entry/') && !(event.target instanceof HTMLInputElement)) location.hash = '#/';
});
signOutButton.addEventListener('click', () => signOut('Signed out. The secret was removed from this tab.'));
window.addEventListener('hashchange', route);

async function start(): Promise<void> {
  const saved = loadSession();
  if (!saved) return showSignIn();
  try {
    setSignedIn(saved, await checkCredentials(saved));
    route();
  } catch (error) {
    if (error instanceof ApiFailure && error.code !== 'unauthorized' && error.code !== 'unknown_application') {
      // Keep the session on a network error: the server may just be restarting.
      setSignedIn(null);
      replace(main, el('div', { class: 'notice error', role: 'alert' }, error.message, ' Reload the page to try again.'));
      return;
    }
    signOut(error instanceof ApiFailure ? error.message : undefined);
  }
}

void start();
