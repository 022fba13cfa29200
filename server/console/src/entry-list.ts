/** The entries view: filters, a newest-first table, and cursor paging (`GET /api/entries`). */
import type { StoredEntry } from '@audit-trail/sdk/contract';
import { ApiFailure, listEntries, type EntryFilters } from './api.js';
import { dataText, el, replace } from './dom.js';
import { detailsPreview, localInputToIso, time } from './format.js';
import type { Session } from './session.js';

const FILTERS: ReadonlyArray<{ name: Exclude<keyof EntryFilters, 'from' | 'to'>; label: string }> = [
  { name: 'actorId', label: 'Actor ID' },
  { name: 'action', label: 'Action' },
  { name: 'entityType', label: 'Entity type' },
  { name: 'entityId', label: 'Entity ID' },
  { name: 'idempotencyKey', label: 'Idempotency key' },
];
const PAGE_SIZES = [10, 25, 50, 100] as const;

/** What the list shows, kept while the tab lives so coming back from an entry returns to the same page. */
interface ListState {
  filters: EntryFilters;
  /** The `datetime-local` texts of from/to, as typed (viewer's zone). */
  fromInput: string;
  toInput: string;
  pageSize: number;
  /** Cursor of each page visited so far; `undefined` for the first. */
  cursors: Array<string | undefined>;
  page: number;
}

const state: ListState = { filters: {}, fromInput: '', toInput: '', pageSize: 25, cursors: [undefined], page: 0 };

/** Forgets filters and position (on sign-out). */
export function resetListState(): void {
  Object.assign(state, { filters: {}, fromInput: '', toInput: '', pageSize: 25, cursors: [undefined], page: 0 });
}

function filterForm(onApply: () => void): HTMLElement {
  const inputs = new Map<string, HTMLInputElement>();
  const fields = FILTERS.map(({ name, label }) => {
    const input = el('input', { id: `filter-${name}`, name, type: 'text', autocomplete: 'off', spellcheck: 'false', value: state.filters[name] ?? '' });
    inputs.set(name, input);
    return el('div', { class: 'field' }, el('label', { for: `filter-${name}` }, label), input);
  });
  const from = el('input', { id: 'filter-from', name: 'from', type: 'datetime-local', step: 1, value: state.fromInput });
  const to = el('input', { id: 'filter-to', name: 'to', type: 'datetime-local', step: 1, value: state.toInput });
  const size = el('select', { id: 'page-size', name: 'pageSize' }, ...PAGE_SIZES.map((n) => el('option', { value: n, selected: n === state.pageSize }, String(n))));
  const apply = el('button', { type: 'submit', class: 'primary' }, 'Apply filters');
  const clear = el('button', { type: 'button' }, 'Clear');
  const form = el('form', { class: 'filters', method: 'post', 'aria-label': 'Filters' },
    el('div', { class: 'grid' }, ...fields,
      el('div', { class: 'field' }, el('label', { for: 'filter-from' }, 'From (your time zone)'), from),
      el('div', { class: 'field' }, el('label', { for: 'filter-to' }, 'Before (your time zone)'), to),
      el('div', { class: 'field' }, el('label', { for: 'page-size' }, 'Per page'), size)),
    el('div', { class: 'actions' }, apply, clear));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const filters: EntryFilters = {};
    for (const { name } of FILTERS) {
      const value = inputs.get(name)?.value.trim();
      if (value) filters[name] = value;
    }
    filters.from = localInputToIso(from.value);
    filters.to = localInputToIso(to.value);
    Object.assign(state, { filters, fromInput: from.value, toInput: to.value, pageSize: Number(size.value), cursors: [undefined], page: 0 });
    onApply();
  });
  clear.addEventListener('click', () => {
    resetListState();
    for (const input of [...inputs.values(), from, to]) input.value = '';
    size.value = String(state.pageSize);
    onApply();
  });
  const open = window.matchMedia('(min-width: 720px)').matches || Object.values(state.filters).some(Boolean);
  return el('details', { class: 'card filter-panel', open }, el('summary', {}, 'Filters'), form);
}

function row(entry: StoredEntry): HTMLTableRowElement {
  const entity = entry.entityType === null && entry.entityId === null ? null : dataText(`${entry.entityType ?? ''} ${entry.entityId ?? ''}`.trim());
  // The link is built from the server-minted id, percent-encoded inside a fragment: it cannot become another URL.
  const link = el('a', { href: `#/entry/${encodeURIComponent(entry.id)}`, class: 'row-link' }, time(entry.timestamp));
  return el('tr', {},
    el('td', { 'data-label': 'Recorded' }, link),
    el('td', { 'data-label': '#', class: 'num' }, String(entry.sequence)),
    el('td', { 'data-label': 'Actor' }, dataText(entry.actorId)),
    el('td', { 'data-label': 'Action' }, dataText(entry.action)),
    el('td', { 'data-label': 'Entity' }, entity ?? el('span', { class: 'muted' }, '—')),
    el('td', { 'data-label': 'Details', class: 'preview' }, dataText(detailsPreview(entry.details))));
}

/** Up/Down (and j/k) move between rows; Enter follows the focused row's link. */
function keyboardRows(table: HTMLTableElement): void {
  table.addEventListener('keydown', (event) => {
    const keys: Record<string, number> = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1 };
    const step = keys[event.key];
    if (step === undefined) return;
    const links = Array.from(table.querySelectorAll<HTMLAnchorElement>('a.row-link'));
    const index = links.indexOf(document.activeElement as HTMLAnchorElement);
    const next = links[Math.max(0, Math.min(links.length - 1, index + step))];
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });
}

function emptyState(): HTMLElement {
  const filtered = Object.values(state.filters).some(Boolean);
  return filtered
    ? el('div', { class: 'notice empty', role: 'status' }, el('strong', {}, 'No entries match these filters. '),
        'Filters match exactly (actor, action, entity, key); widen the time range or press Clear to see everything.')
    : el('div', { class: 'notice empty', role: 'status' }, el('strong', {}, 'This application has no entries yet. '),
        'Record one with the SDK (client.log), the Zapier app, or the CLI: ', el('code', {}, 'audit-trail log alice LOGIN'), '.');
}

/** Renders the view and loads the current page. */
export function renderEntryList(main: HTMLElement, session: Session, onSignedOut: (message: string) => void): void {
  const results = el('section', { class: 'results', 'aria-live': 'polite', 'aria-busy': 'true' });
  const heading = el('h1', { tabindex: -1 }, 'Entries');
  const load = (): void => {
    results.setAttribute('aria-busy', 'true');
    replace(results, el('p', { class: 'muted' }, 'Loading entries…'));
    const cursor = state.cursors[state.page];
    listEntries(session, state.filters, state.pageSize, cursor).then(
      ({ entries, nextCursor }) => {
        results.setAttribute('aria-busy', 'false');
        if (nextCursor !== null) state.cursors[state.page + 1] = nextCursor;
        else state.cursors.length = state.page + 1;
        if (entries.length === 0 && state.page === 0) return replace(results, emptyState());
        const table = el('table', { class: 'entries' },
          el('caption', { class: 'visually-hidden' }, 'Entries, newest first'),
          el('thead', {}, el('tr', {}, ...['Recorded', '#', 'Actor', 'Action', 'Entity', 'Details'].map((h) => el('th', { scope: 'col' }, h)))),
          el('tbody', {}, ...entries.map(row)));
        keyboardRows(table);
        const newer = el('button', { type: 'button', disabled: state.page === 0 }, '← Newer');
        const older = el('button', { type: 'button', disabled: nextCursor === null }, 'Older →');
        newer.addEventListener('click', () => {
          state.page -= 1;
          load();
        });
        older.addEventListener('click', () => {
          state.page += 1;
          load();
        });
        const first = state.page * state.pageSize + 1;
        replace(results, table,
          el('nav', { class: 'pager', 'aria-label': 'Pages' }, newer,
            el('span', { class: 'muted', id: 'page-label' }, `Page ${state.page + 1} · entries ${first}–${first + entries.length - 1}, newest first`), older));
      },
      (error: unknown) => {
        results.setAttribute('aria-busy', 'false');
        if (error instanceof ApiFailure && (error.code === 'unauthorized' || error.code === 'unknown_application')) return onSignedOut(error.message);
        const retry = el('button', { type: 'button' }, 'Try again');
        retry.addEventListener('click', load);
        replace(results, el('div', { class: 'notice error', role: 'alert' }, error instanceof ApiFailure ? error.message : 'Loading failed.', ' ', retry));
      },
    );
  };
  replace(main, heading, filterForm(load), results);
  load();
}
