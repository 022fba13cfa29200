/** How times and details are shown. */
import type { StoredEntry } from '@audit-trail/sdk/contract';
import { dataText, el } from './dom.js';

const LOCAL = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
});

/** A stored UTC time in the viewer's zone, the stored value on hover. */
export function time(iso: string): HTMLTimeElement {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return el('time', {}, dataText(iso));
  return el('time', { datetime: iso, title: `${iso} (stored, UTC)` }, LOCAL.format(date));
}

/** Details as text: free text as given, JSON objects indented. */
export function detailsText(details: StoredEntry['details']): string {
  if (details === null) return '';
  return typeof details === 'string' ? details : JSON.stringify(details, null, 2);
}

/** One line of the details for the table, cut at `max` characters. */
export function detailsPreview(details: StoredEntry['details'], max = 80): string {
  if (details === null) return '';
  const flat = typeof details === 'string' ? details : JSON.stringify(details);
  const line = flat.replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Details longer than this many lines (or characters) are folded behind a summary. */
const FOLD_LINES = 12;
const FOLD_CHARS = 1200;

/** The details block: a `<pre>`, folded into `<details>` when long. */
export function detailsBlock(details: StoredEntry['details']): HTMLElement {
  const text = detailsText(details);
  if (text === '') return el('p', { class: 'muted' }, 'No details were recorded.');
  const pre = el('pre', { class: 'details', tabindex: 0 }, dataText(text, { multiline: true }));
  const lines = text.split('\n').length;
  if (lines <= FOLD_LINES && text.length <= FOLD_CHARS) return pre;
  return el('details', { class: 'fold' }, el('summary', {}, `Show all details (${lines} lines, ${text.length} characters)`), pre);
}

/** A `datetime-local` value (viewer's zone) as ISO UTC, or undefined when empty or invalid. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
