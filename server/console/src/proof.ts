/**
 * The entry page's "Inclusion proof" section.
 *
 * Seam for the Merkle log (in progress elsewhere): the server is to publish a C2SP signed checkpoint at
 * `GET /api/verification/merkle/latestTreeHead` and RFC 9162 inclusion proofs at
 * `GET /api/verification/merkle/proofs/inclusion`. Once those routes exist, this module fetches both, checks the
 * checkpoint's Ed25519 signature against the key the viewer pinned and the proof against the checkpoint's root
 * with WebCrypto, and shows the outcome. Until then it asks the server and says plainly that no proof is published.
 */
import type { StoredEntry } from '@audit-trail/sdk/contract';
import { ApiFailure, apiGet } from './api.js';
import { el, replace } from './dom.js';
import type { Session } from './session.js';

const LATEST_TREE_HEAD = '/api/verification/merkle/latestTreeHead';

export function renderInclusionProof(session: Session, entry: StoredEntry): HTMLElement {
  const body = el('div', {}, el('p', { class: 'muted' }, 'Asking the server for a signed checkpoint…'));
  const section = el('section', { class: 'card', 'aria-labelledby': 'proof-title' }, el('h2', { id: 'proof-title' }, 'Inclusion proof'), body);
  apiGet<unknown>(session, LATEST_TREE_HEAD).then(
    () => replace(body, el('p', { class: 'notice' },
      `This server publishes signed checkpoints, but this console version cannot check them yet, so entry #${entry.sequence} is not shown as proven. Use the chain verification instead.`)),
    (error: unknown) => replace(body, el('p', { class: 'notice' },
      error instanceof ApiFailure && error.status === 404
        ? 'This server does not publish signed checkpoints yet, so there is no inclusion proof to check in your browser. The chain verification (Verify) still detects changes to stored entries.'
        : `The checkpoint could not be loaded: ${error instanceof ApiFailure ? error.message : 'unknown error'}`)),
  );
  return section;
}
