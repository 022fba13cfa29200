/** One entry: every stored field, its hashes, and its inclusion proof (`GET /api/getEntryById`). */
import type { StoredEntry } from '@audit-trail/sdk/contract';
import { ApiFailure, getEntry } from './api.js';
import { dataText, el, field, replace, type Child } from './dom.js';
import { detailsBlock, time } from './format.js';
import { renderInclusionProof } from './proof.js';
import type { Session } from './session.js';

const none = (): HTMLElement => el('span', { class: 'muted' }, 'not recorded');
const text = (value: string | null): Child => (value === null ? none() : dataText(value));
const hash = (value: string): HTMLElement => el('code', { class: 'hash' }, dataText(value));

function fields(entry: StoredEntry): HTMLElement {
  return el('dl', { class: 'fields' },
    ...field('Entry ID', el('code', {}, dataText(entry.id))),
    ...field('Sequence', String(entry.sequence)),
    ...field('Recorded', time(entry.timestamp)),
    ...field('Occurred', entry.occurredAt === null ? none() : time(entry.occurredAt)),
    ...field('Actor ID', text(entry.actorId)),
    ...field('Actor name', text(entry.actorDisplayName)),
    ...field('Actor roles', entry.actorRoles === null || entry.actorRoles.length === 0 ? none()
      : el('ul', { class: 'roles' }, ...entry.actorRoles.map((role) => el('li', {}, dataText(role))))),
    ...field('Action', text(entry.action)),
    ...field('Entity type', text(entry.entityType)),
    ...field('Entity ID', text(entry.entityId)),
    ...field('IP address', text(entry.ip)),
    ...field('Idempotency key', text(entry.idempotencyKey)),
    ...field('Application ID', dataText(entry.applicationId)));
}

function hashes(entry: StoredEntry): HTMLElement {
  return el('section', { class: 'card', 'aria-labelledby': 'hashes-title' },
    el('h2', { id: 'hashes-title' }, 'Hashes'),
    el('dl', { class: 'fields' },
      ...field('Standalone hash', hash(entry.standaloneHash)),
      ...field('Previous hash', hash(entry.previousHash)),
      ...field('Chained hash', hash(entry.hash)),
      ...field('Hash version', String(entry.hashVersion))),
    el('p', { class: 'muted' }, 'The standalone hash covers this entry\'s fields; the chained hash binds it to its sequence and to the entry before it. ',
      'Changing any stored field breaks the chain at this entry: run Verify to check.'));
}

export function renderEntryPage(main: HTMLElement, session: Session, entryId: string, onSignedOut: (message: string) => void): void {
  const back = el('a', { href: '#/', class: 'back' }, '← Back to entries');
  const heading = el('h1', { tabindex: -1 }, 'Entry');
  const body = el('div', { 'aria-busy': 'true' }, el('p', { class: 'muted' }, 'Loading the entry…'));
  replace(main, back, heading, body);
  getEntry(session, entryId).then(
    (entry) => {
      body.setAttribute('aria-busy', 'false');
      replace(heading, `Entry #${entry.sequence}: `, dataText(entry.action));
      replace(body,
        el('section', { class: 'card', 'aria-label': 'Fields' }, fields(entry)),
        el('section', { class: 'card', 'aria-labelledby': 'details-title' }, el('h2', { id: 'details-title' }, 'Details'), detailsBlock(entry.details)),
        hashes(entry),
        renderInclusionProof(session, entry));
    },
    (error: unknown) => {
      body.setAttribute('aria-busy', 'false');
      if (error instanceof ApiFailure && (error.code === 'unauthorized' || error.code === 'unknown_application')) return onSignedOut(error.message);
      replace(body, el('div', { class: 'notice error', role: 'alert' }, error instanceof ApiFailure ? error.message : 'Loading the entry failed.'));
    },
  );
}
