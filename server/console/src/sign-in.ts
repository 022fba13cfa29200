/** The sign-in view: organization, application and secret, checked with `GET /api/auth/check`. */
import type { AuthCheckResponse } from '@audit-trail/sdk/contract';
import { ApiFailure, checkCredentials } from './api.js';
import { el, replace } from './dom.js';
import type { Session } from './session.js';

function input(id: string, label: string, hint: string, type = 'text', autocomplete = 'off'): [HTMLElement, HTMLInputElement] {
  const control = el('input', { id, name: id, type, required: true, autocomplete, spellcheck: 'false', 'aria-describedby': `${id}-hint` });
  return [el('div', { class: 'field' }, el('label', { for: id }, label), control, el('small', { id: `${id}-hint`, class: 'muted' }, hint)), control];
}

/** Renders the form; `onSignedIn` gets the checked session and who it belongs to. */
export function renderSignIn(main: HTMLElement, onSignedIn: (session: Session, who: AuthCheckResponse) => void, notice?: string): void {
  const [organizationField, organization] = input('organizationId', 'Organization ID', 'AUDIT_TRAIL_ORGANIZATION_ID');
  const [applicationField, application] = input('applicationId', 'Application ID', 'AUDIT_TRAIL_APPLICATION_ID (sent as Application-Id)');
  const [secretField, secret] = input('apiSecret', 'API secret', 'AUDIT_TRAIL_API_SECRET; kept in this tab only, forgotten when it closes', 'password', 'current-password');
  const status = el('p', { class: 'notice', role: 'status', 'aria-live': 'polite' }, notice ?? '');
  status.hidden = !notice;
  const submit = el('button', { type: 'submit', class: 'primary' }, 'Sign in');
  // method=post and the CSP's form-action 'none' keep the secret out of any URL even if the module failed to load.
  const form = el('form', { class: 'card sign-in', method: 'post', 'aria-labelledby': 'sign-in-title' },
    el('h1', { id: 'sign-in-title', tabindex: -1 }, 'Sign in to the audit trail'),
    el('p', { class: 'muted' }, 'Use the credentials your server printed on first start (or its credentials.env).'),
    organizationField, applicationField, secretField, status, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const session: Session = { organizationId: organization.value.trim(), applicationId: application.value.trim(), apiSecret: secret.value };
    submit.disabled = true;
    status.hidden = false;
    status.className = 'notice';
    status.textContent = 'Checking…';
    checkCredentials(session).then(
      (who) => onSignedIn(session, who),
      (error: unknown) => {
        submit.disabled = false;
        status.className = 'notice error';
        status.textContent = error instanceof ApiFailure ? error.message : 'Signing in failed. Try again.';
        (error instanceof ApiFailure && error.code === 'unknown_application' ? application : secret).focus();
      },
    );
  });
  replace(main, form);
  organization.focus();
}
