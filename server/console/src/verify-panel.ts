/**
 * The verification panel: re-checks the whole chain with `GET /api/verification/chain`, in ranges so it can show
 * progress. The server anchors each range on the entry before it, so checking 1..a, a+1..b, … is the same check
 * as one request; the last range is open-ended so the server compares against its stored chain head and reports
 * removed newest entries (`entries_missing`). The server goes on past a break, so every range is checked and
 * every break listed, not just the first.
 */
import type { ChainBreak, ChainFailureReason } from '@audit-trail/sdk/contract';
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
  unknown_hash_version: 'The entry claims a hash recipe this server does not know, or an older one than the entry before it: its hash version was altered.',
};

const CHUNKS = 20;
const MIN_CHUNK = 500;
/** Breaks listed on the page; the rest are counted. */
const SHOWN_BREAKS = 20;

/** What a whole-chain check found, gathered over the ranges. */
interface Findings {
  total: number;
  breaks: ChainBreak[];
  /** A range reported more breaks than it listed. */
  truncated: boolean;
  /** Entries that verified before the first break (all of them when there is none). */
  checkedBeforeBreak: number;
  lastHash: string | null;
}

const breakPlace = (item: ChainBreak): HTMLElement =>
  item.entryId === null
    ? el('span', {}, `position #${item.sequence} (no entry is stored there any more)`)
    : el('a', { href: `#/entry/${encodeURIComponent(item.entryId)}` }, `entry #${item.sequence}`);

function brokenSummary(findings: Findings): HTMLElement {
  const [first, ...rest] = findings.breaks;
  if (!first) throw new Error('no break to show');
  const more = findings.breaks.length - 1 - Math.min(rest.length, SHOWN_BREAKS);
  return el('div', { class: 'notice error result', role: 'alert' },
    el('h2', {}, '✗ The chain is broken'),
    el('p', {}, 'First break: ', breakPlace(first), '.'),
    el('p', {}, el('strong', {}, 'Reason: '), el('code', {}, first.reason), ' — ', REASONS[first.reason]),
    el('p', {}, `${findings.checkedBeforeBreak} of ${findings.total} entries before it verified.`),
    rest.length === 0 ? null : el('div', {},
      el('p', {}, el('strong', {}, `Further breaks (${rest.length}${findings.truncated ? ' or more' : ''}):`)),
      el('ul', { class: 'breaks' }, ...rest.slice(0, SHOWN_BREAKS).map((item) => el('li', {}, breakPlace(item), ': ', el('code', {}, item.reason)))),
      more > 0 ? el('p', {}, `…and ${more} more.`) : null),
    findings.truncated && rest.length === 0 ? el('p', {}, 'The server found more breaks than it lists.') : null,
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
      el('p', { class: 'muted' }, 'This check is made by the server you are connected to: it detects changes to the stored data by anyone who can write to the database but not to the server\'s code. A check made in your browser instead (inclusion proofs against a signed checkpoint) will show on each entry\'s page once the server publishes checkpoints.'),
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
    progress.value = 0;
    const findings: Findings = { total, breaks: [], truncated: false, checkedBeforeBreak: 0, lastHash: null };
    for (let from = 1; ; ) {
      // The last range is open-ended, so the server checks up to its own chain head.
      const to = from + chunk - 1 >= total ? undefined : from + chunk - 1;
      progressText.textContent = `Checking entries ${from}–${to ?? total} of ${total}…`;
      const range = await verifyChain(session, from, to);
      if (findings.breaks.length === 0) findings.checkedBeforeBreak += range.checked;
      if (range.valid) findings.lastHash = range.lastHash;
      else {
        findings.breaks.push(...range.breaks);
        findings.truncated ||= range.breaksTruncated;
      }
      progress.value = to ?? total;
      if (to === undefined) break;
      from = to + 1;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    progressText.textContent = `Checked ${total} of ${total} entries in ${seconds} s.`;
    if (findings.breaks.length === 0) {
      replace(result, el('div', { class: 'notice ok result', role: 'status' },
        el('h2', {}, '✓ The chain verifies'),
        el('p', {}, total === 0 ? 'There are no entries yet; there is nothing to break.' : `All ${findings.checkedBeforeBreak} entries match their hashes and follow each other, up to the newest.`),
        findings.lastHash === null || total === 0 ? null : el('p', {}, 'Head hash: ', el('code', { class: 'hash' }, dataText(findings.lastHash)))));
    } else {
      replace(result, brokenSummary(findings));
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
