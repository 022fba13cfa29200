/**
 * The verification panel: re-checks the whole chain with `GET /api/verification/chain`, in ranges so it can show
 * progress. The server anchors each range on the entry before it, so checking 1..a, a+1..b, … is the same check
 * as one request; the last range is open-ended so the server compares against its stored chain head and reports
 * removed newest entries (`entries_missing`).
 */
import type { ChainFailureReason, VerifyResult } from '@audit-trail/sdk/contract';
import { ApiFailure, listEntries, verifyChain } from './api.js';
import { dataText, el, replace } from './dom.js';
import type { Session } from './session.js';

/** What each failure means and where to look. */
const REASONS: Readonly<Record<ChainFailureReason, string>> = {
  standalone_hash_mismatch: 'The entry\'s stored fields no longer match the hash recorded when it was written: its content was changed after it was recorded.',
  hash_mismatch: 'The entry\'s chained hash does not match its content, sequence and predecessor: its hash or sequence number was altered.',
  previous_hash_mismatch: 'The entry does not follow the entry before it: that earlier entry was changed and its hashes recomputed, or entries were replaced or reordered.',
  sequence_gap: 'Entries before this one are missing: they were deleted from the store.',
  entries_missing: 'The newest entries are gone: the service\'s chain head is past the last stored entry, so entries from this position on were deleted.',
};

const CHUNKS = 20;
const MIN_CHUNK = 500;

function summary(result: Extract<VerifyResult, { valid: false }>, total: number): HTMLElement {
  const where = result.firstBadEntryId === null
    ? el('span', {}, `position #${result.firstBadSequence} (no entry is stored there any more)`)
    : el('a', { href: `#/entry/${encodeURIComponent(result.firstBadEntryId)}` }, `entry #${result.firstBadSequence}`);
  return el('div', { class: 'notice error result', role: 'alert' },
    el('h2', {}, '✗ The chain is broken'),
    el('p', {}, 'First break: ', where, '.'),
    el('p', {}, el('strong', {}, 'Reason: '), el('code', {}, result.reason), ' — ', REASONS[result.reason]),
    el('p', {}, `${result.checked} of ${total} entries before it verified.`),
    el('p', {}, 'What to do: keep a copy of the database as it is now, compare the entry with the receipt or a copy taken elsewhere (webhook deliveries, exports), and find who had write access to the store.'));
}

export function renderVerifyPanel(main: HTMLElement, session: Session, onSignedOut: (message: string) => void): void {
  const run = el('button', { type: 'button', class: 'primary' }, 'Verify the whole chain');
  const progress = el('progress', { max: 1, value: 0, 'aria-label': 'Verification progress' });
  const progressText = el('span', { class: 'muted', 'aria-live': 'polite' }, '');
  const progressRow = el('div', { class: 'progress' }, progress, progressText);
  progressRow.hidden = true;
  const result = el('div', { class: 'verify-result' });
  replace(main,
    el('h1', { tabindex: -1 }, 'Verify the chain'),
    el('section', { class: 'card' },
      el('p', {}, 'Recomputes every entry\'s hashes on the server and checks that each one follows the one before it. A change, deletion or reordering in the stored data shows up as the first break.'),
      el('p', { class: 'muted' }, 'This check is made by the server you are connected to: it detects changes to the stored data by anyone who can write to the database but not to the server\'s code. The proof shown on each entry\'s page is checked in your browser instead.'),
      run, progressRow, result));

  const verify = async (): Promise<void> => {
    run.disabled = true;
    progressRow.hidden = false;
    replace(result);
    const started = performance.now();
    const newest = (await listEntries(session, {}, 1, undefined)).entries[0];
    const total = newest?.sequence ?? 0;
    const chunk = Math.max(MIN_CHUNK, Math.ceil(total / CHUNKS));
    progress.max = Math.max(total, 1);
    let checked = 0;
    let from = 1;
    let last: VerifyResult;
    do {
      const to = from + chunk - 1 >= total ? undefined : from + chunk - 1;
      progressText.textContent = `Checking entries ${from}–${to ?? total} of ${total}…`;
      last = await verifyChain(session, from, to);
      checked += last.checked;
      progress.value = Math.min(checked, total);
      if (!last.valid || to === undefined) break;
      from = to + 1;
    } while (true);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    progressText.textContent = `Checked ${checked} of ${total} entries in ${seconds} s.`;
    if (last.valid) {
      replace(result, el('div', { class: 'notice ok result', role: 'status' },
        el('h2', {}, '✓ The chain verifies'),
        el('p', {}, total === 0 ? 'There are no entries yet; there is nothing to break.' : `All ${checked} entries match their hashes and follow each other, up to the newest.`),
        total === 0 ? null : el('p', {}, 'Head hash: ', el('code', { class: 'hash' }, dataText(last.lastHash)))));
    } else {
      replace(result, summary({ ...last, checked }, total));
    }
  };
  run.addEventListener('click', () => {
    verify().catch((error: unknown) => {
      if (error instanceof ApiFailure && (error.code === 'unauthorized' || error.code === 'unknown_application')) return onSignedOut(error.message);
      replace(result, el('div', { class: 'notice error', role: 'alert' }, error instanceof ApiFailure ? error.message : 'Verification could not run.', ' Press the button to try again.'));
    }).finally(() => {
      run.disabled = false;
    });
  });
  run.focus();
}
