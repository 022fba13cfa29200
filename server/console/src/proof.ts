/**
 * The entry page's "Proof" section: checks, in the browser, that the entry as shown is in the application's
 * Merkle tree whose checkpoint is signed by the key the viewer pinned. The server supplies the checkpoint and
 * the audit path; the browser computes the entry's leaf hash itself from the fields on the page (same canonical
 * JSON and field list as the server's, see server/src/routes/console.ts), verifies the checkpoint's Ed25519
 * signature with the pinned key and walks the path with WebCrypto. So a server (or anyone with the database)
 * that changed the entry after it was checkpointed cannot make it pass without the signing key.
 *
 * The pinned key is public, so it is kept in localStorage (per browser, for this origin), unlike the secret.
 */
import type { InclusionProof, MerkleInfo, PATHS, StoredEntry, TreeHead } from '@audit-trail/sdk/contract';
import { ApiFailure, apiGet } from './api.js';
import canonicalize from './canonicalize.js';
import { dataText, el, replace } from './dom.js';
import { HASHED_FIELDS } from './hash-recipe.js';
import type { Session } from './session.js';
import { fromBase64, leafHash, parseCheckpoint, parseVerifierKey, sha256, toHex, TransparencyError, verifyInclusion, verifyNote } from './transparency.js';

const LATEST_TREE_HEAD: typeof PATHS.latestTreeHead = '/api/verification/merkle/latestTreeHead';
const INCLUSION_PROOF: typeof PATHS.inclusionProof = '/api/verification/merkle/proofs/inclusion';
const MERKLE_INFO: typeof PATHS.merkleInfo = '/api/verification/merkle/info';
const PIN = 'audit-trail-console-pinned-verifier-key';

export function pinnedKey(): string | null {
  try {
    return localStorage.getItem(PIN);
  } catch {
    return null;
  }
}

function pin(key: string | null): void {
  try {
    if (key === null) localStorage.removeItem(PIN);
    else localStorage.setItem(PIN, key);
  } catch {
    // Storage disabled: nothing is pinned.
  }
}

/** The entry's canonical bytes by its hash version, exactly as the server hashes them. */
function canonicalBytes(entry: StoredEntry): Uint8Array {
  const fields = HASHED_FIELDS[String(entry.hashVersion)];
  if (!fields) throw new TransparencyError(`This console does not know hash version ${entry.hashVersion}`);
  const picked: Record<string, unknown> = {};
  for (const field of fields) if (entry[field] !== null && entry[field] !== undefined) picked[field] = entry[field];
  return new TextEncoder().encode(canonicalize(picked) ?? '');
}

interface Outcome {
  contentMatches: boolean;
  included: boolean;
  treeSize: bigint;
  signer: string;
  checkpoint: string;
}

async function check(session: Session, entry: StoredEntry, key: string): Promise<Outcome> {
  const verifier = await parseVerifierKey(key);
  const head = await apiGet<TreeHead>(session, LATEST_TREE_HEAD);
  const text = await verifyNote(head.checkpoint, verifier);
  const checkpoint = parseCheckpoint(text);
  // A checkpoint of another application's tree would prove nothing about this one.
  if (!checkpoint.origin.endsWith(`/app/${session.applicationId}`)) throw new TransparencyError('The checkpoint is for another application\'s log');
  if (BigInt(entry.sequence) > checkpoint.treeSize) throw new TransparencyError('The entry is newer than the latest checkpoint; reload in a moment');
  const proof = await apiGet<InclusionProof>(session, INCLUSION_PROOF, { entryId: entry.id, treeSize: checkpoint.treeSize.toString() });
  if (proof.leafIndex !== entry.sequence - 1 || BigInt(proof.treeSize) !== checkpoint.treeSize) throw new TransparencyError('The server sent a proof for another position or tree');
  const bytes = canonicalBytes(entry);
  const contentMatches = toHex(await sha256(bytes)) === entry.standaloneHash;
  const included = await verifyInclusion(checkpoint, BigInt(proof.leafIndex), await leafHash(bytes), proof.auditPath.map(fromBase64));
  return { contentMatches, included, treeSize: checkpoint.treeSize, signer: verifier.name, checkpoint: head.checkpoint };
}

function outcomeView(entry: StoredEntry, outcome: Outcome): HTMLElement {
  const checkpoint = el('details', { class: 'fold' }, el('summary', {}, 'The signed checkpoint'), el('pre', { class: 'details' }, dataText(outcome.checkpoint, { multiline: true })));
  if (outcome.included && outcome.contentMatches) {
    return el('div', { class: 'notice ok result', role: 'status' },
      el('h3', {}, '✓ Proven in your browser'),
      el('p', {}, `Entry #${entry.sequence}, as shown on this page, is leaf ${entry.sequence - 1} of the tree of ${outcome.treeSize} entries whose checkpoint is signed by the pinned key (`, el('code', {}, dataText(outcome.signer)), '). Its content matches its standalone hash.'),
      checkpoint);
  }
  return el('div', { class: 'notice error result', role: 'alert' },
    el('h3', {}, '✗ Not proven'),
    el('p', {}, outcome.included
      ? 'The proof leads to the signed root, but the entry\'s content no longer matches its standalone hash.'
      : outcome.contentMatches
        ? 'The entry as shown is not in the tree the pinned key signed: the server sent a bad proof, or the entry was replaced together with its hashes.'
        : 'The entry as shown is not in the tree the pinned key signed, and its content no longer matches its standalone hash: it was changed after it was recorded.'),
    el('p', {}, 'What to do: run Verify, keep a copy of the database, and compare the entry with the receipt or another copy.'),
    checkpoint);
}

export function renderInclusionProof(session: Session, entry: StoredEntry): HTMLElement {
  const body = el('div', {}, el('p', { class: 'muted' }, 'Asking the server for its checkpoint key…'));
  const section = el('section', { class: 'card proof', 'aria-labelledby': 'proof-title' }, el('h2', { id: 'proof-title' }, 'Proof of inclusion'), body);

  const failure = (error: unknown): HTMLElement =>
    el('div', { class: 'notice error', role: 'alert' },
      el('h3', {}, '✗ Not proven'),
      el('p', {}, error instanceof TransparencyError || error instanceof ApiFailure ? error.message : 'The check could not run.'));

  const run = (key: string, served: string): void => {
    replace(body, el('p', { class: 'muted' }, 'Checking the signed checkpoint and the proof in your browser…'));
    const unpin = el('button', { type: 'button' }, 'Unpin the key');
    unpin.addEventListener('click', () => {
      pin(null);
      start();
    });
    const changed = key !== served
      ? el('p', { class: 'notice error' }, 'The server now reports a different checkpoint key than the one pinned in this browser. Checks use the pinned key; unpin it only if your operator announced a new key.')
      : null;
    check(session, entry, key).then(
      (outcome) => replace(body, changed, outcomeView(entry, outcome), el('p', { class: 'muted' }, 'Pinned key: ', el('code', { class: 'hash' }, dataText(key)), ' '), unpin),
      (error: unknown) => replace(body, changed, failure(error), el('p', { class: 'muted' }, 'Pinned key: ', el('code', { class: 'hash' }, dataText(key)), ' '), unpin),
    );
  };

  const ask = (served: string): void => {
    const pinServed = el('button', { type: 'button', class: 'primary' }, 'Pin this key and check');
    const pasted = el('input', { id: 'pin-key', type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: 'name+1a2b3c4d+base64…' });
    const pinPasted = el('button', { type: 'button' }, 'Pin the pasted key and check');
    const problem = el('p', { class: 'notice error', role: 'alert' });
    problem.hidden = true;
    const pinAndRun = (key: string): void => {
      parseVerifierKey(key).then(
        () => {
          pin(key.trim());
          run(key.trim(), served);
        },
        (error: unknown) => {
          problem.hidden = false;
          problem.textContent = error instanceof TransparencyError ? error.message : 'That is not a verifier key.';
        },
      );
    };
    pinServed.addEventListener('click', () => pinAndRun(served));
    pinPasted.addEventListener('click', () => pinAndRun(pasted.value));
    replace(body,
      el('p', {}, 'To check this entry in your browser, pin the key that signs this server\'s checkpoints. The server reports:'),
      el('p', {}, el('code', { class: 'hash' }, dataText(served))),
      el('p', { class: 'muted' }, 'Pin it only if it is the key your operator published (`audit-trail serve` prints it as "Checkpoint verifier key"); otherwise paste the published one. The pinned key stays in this browser and every later check must be signed by it.'),
      el('div', { class: 'actions' }, pinServed),
      el('div', { class: 'field' }, el('label', { for: 'pin-key' }, 'Or paste the published key'), pasted),
      el('div', { class: 'actions' }, pinPasted), problem);
  };

  const start = (): void => {
    apiGet<MerkleInfo>(session, MERKLE_INFO).then(
      (info) => {
        const key = pinnedKey();
        if (key) run(key, info.verifierKey);
        else ask(info.verifierKey);
      },
      (error: unknown) => replace(body, error instanceof ApiFailure && error.status === 404
        ? el('p', { class: 'notice' }, 'This server does not publish signed checkpoints, so there is no proof to check in your browser. Verify still detects changes to stored entries.')
        : failure(error)),
    );
  };
  start();
  return section;
}
