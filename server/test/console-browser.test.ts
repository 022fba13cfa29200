/**
 * The web console in a real Chromium (Debian's /usr/bin/chromium driven by playwright-core) against the real
 * server: sign in, filter, page, keyboard, open an entry, hostile entry content, verify, tamper with the SQLite
 * file and see the break. Screenshots of every view at desktop and phone width go to test-output/console/
 * (ignored by git); with UPDATE_CONSOLE_SCREENSHOTS=1 they also replace docs/console/*.png (linked from the README).
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PATHS, type Entry, type ListResponse, type StoredEntry } from '../../sdk/src/contract/schemas.js';
import type { Credentials } from '../../sdk/src/contract/wire.js';
import { CONSOLE_DIR } from '../src/routes/console.js';
import { sqlite } from '../src/store/sqlite-module.js';
import { api } from './support/http.js';
import { startServer, type TestServer } from './support/start-server.js';

jest.setTimeout(180_000);

const CHROMIUM = '/usr/bin/chromium';
const REPO = join(__dirname, '..', '..');
const OUTPUT = join(REPO, 'test-output', 'console');
const DOCS = join(REPO, 'docs', 'console');
const DESKTOP = { width: 1280, height: 860 };
const PHONE = { width: 390, height: 844 };
/** A zone with a half-hour offset and no daylight saving, so the shown time cannot equal UTC by accident. */
const ZONE = 'Asia/Kolkata';
const ZONE_OFFSET_MS = 5.5 * 3600_000;

const HOSTILE_ACTOR = '<img src=x onerror="window.__pwned=1">';
const HOSTILE_ACTION = '<script>window.__pwned=2</script>';
const HOSTILE_DETAILS = {
  html: '<b>bold</b><svg onload="window.__pwned=3"></svg>',
  link: 'javascript:window.__pwned=4',
  bidi: 'invoice\u202Efdp.exe',
  zeroWidth: 'ad\u200Bmin',
};
const HOSTILE_ENTITY_TYPE = 'javascript:window.__pwned=5';
const HOSTILE_ENTITY_ID = '"><iframe src="javascript:window.__pwned=6"></iframe>';
const SPOOFED_ACTOR = 'ad\u200Bmin';
const BIDI_ACTION = 'DELETE\u202E';

let server: TestServer;
let browser: Browser;
let db: DatabaseSync;
/** The seeded entries, oldest first. */
let seeded: StoredEntry[] = [];

async function listAll(credentials: Credentials): Promise<StoredEntry[]> {
  const all: StoredEntry[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const page: ListResponse = (await api<ListResponse>(server, `${PATHS.entries}?order=asc&limit=1000${query}`, { credentials })).body;
    all.push(...page.entries);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return all;
}

async function logBatch(entries: Entry[]): Promise<void> {
  const response = await api(server, PATHS.batch, { body: { entries } });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium (.ci/run does this)`);
  if (!existsSync(join(CONSOLE_DIR, 'dist', 'main.js'))) throw new Error('The console is not built: run `npm run build` first');
  mkdirSync(OUTPUT, { recursive: true });
  server = await startServer();
  db = new sqlite.DatabaseSync(server.dbPath);
  // 1-30: ordinary entries; 31-33: hostile, spoofing and long ones; then, a second later, 34-36 by carol.
  await logBatch(Array.from({ length: 30 }, (_, i) => ({
    actorId: i % 3 === 0 ? 'alice@example.com' : 'bob@example.com',
    action: i % 2 === 0 ? 'LOGIN' : 'INVOICE_EDITED',
    entityType: 'invoice',
    entityId: `inv_${i + 1}`,
    details: { step: i + 1, note: 'routine change' },
  })));
  await logBatch([
    { actorId: HOSTILE_ACTOR, action: HOSTILE_ACTION, details: HOSTILE_DETAILS, entityType: HOSTILE_ENTITY_TYPE, entityId: HOSTILE_ENTITY_ID, actorDisplayName: '<b>Mallory</b>' },
    { actorId: SPOOFED_ACTOR, action: BIDI_ACTION, details: 'text <a href="javascript:window.__pwned=7">click</a>' },
    { actorId: 'dave@example.com', action: 'BULK_EXPORT', details: { rows: Array.from({ length: 40 }, (_, i) => ({ row: i + 1, id: `r${i + 1}` })) } },
  ]);
  await new Promise((resolve) => setTimeout(resolve, 1200));
  await logBatch(Array.from({ length: 3 }, (_, i) => ({ actorId: 'carol@example.com', action: 'REFUND_ISSUED', details: { refund: i + 1 } })));
  seeded = await listAll(server.credentials);
  expect(seeded).toHaveLength(36);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  db?.close();
  await server?.close();
});

const bySequence = (sequence: number): StoredEntry => {
  const entry = seeded.find((e) => e.sequence === sequence);
  if (!entry) throw new Error(`no entry ${sequence}`);
  return entry;
};

/** What the page did that it must not: script run by entry data, dialogs, CSP violations, uncaught errors. */
interface Watch {
  dialogs: string[];
  errors: string[];
}

async function openConsole(viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page; watch: Watch }> {
  const context = await browser.newContext({ viewport, timezoneId: ZONE, locale: 'en-GB' });
  const page = await context.newPage();
  const watch: Watch = { dialogs: [], errors: [] };
  page.on('dialog', (dialog) => {
    watch.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => watch.errors.push(error.message));
  // Counts CSP violations: injected markup trying to run would be blocked and reported here.
  await page.addInitScript({ content: "window.__violations = []; document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));" });
  await page.goto(server.baseUrl + '/');
  return { context, page, watch };
}

async function signIn(page: Page, credentials: Credentials = server.credentials): Promise<void> {
  await page.getByLabel('Organization ID').fill(credentials.organizationId);
  await page.getByLabel('Application ID').fill(credentials.applicationId);
  await page.getByLabel('API secret').fill(credentials.apiSecret);
  await page.getByLabel('API secret').press('Enter');
}

/** Signs in and waits for the entries view. */
async function signedIn(page: Page, credentials: Credentials = server.credentials): Promise<void> {
  await signIn(page, credentials);
  await page.getByRole('heading', { name: 'Entries' }).waitFor();
}

async function expectNothingRan(page: Page, watch: Watch): Promise<void> {
  expect(await page.evaluate('window.__pwned')).toBeUndefined();
  expect(await page.evaluate('window.__violations')).toEqual([]);
  expect(watch.dialogs).toEqual([]);
  expect(watch.errors).toEqual([]);
  // No element came from entry data: the only images, frames, scripts or svg would be injected ones.
  expect(await page.locator('main img, main iframe, main script, main svg, main b').count()).toBe(0);
}

async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  const file = join(OUTPUT, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  if (process.env.UPDATE_CONSOLE_SCREENSHOTS === '1') {
    mkdirSync(DOCS, { recursive: true });
    await copyFile(file, join(DOCS, `${name}.png`));
  }
}

const rows = (page: Page) => page.locator('table.entries tbody tr');
const sequencesShown = async (page: Page): Promise<number[]> =>
  (await page.locator('table.entries tbody td.num').allTextContents()).map(Number);

/** A verifier key of another signer, as a viewer might have pinned from elsewhere. */
function otherVerifierKey(): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  const material = Buffer.concat([Buffer.of(1), Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url')]);
  const name = 'elsewhere.example/log';
  const keyId = createHash('sha256').update(`${name}\n`).update(material).digest().subarray(0, 4);
  return `${name}+${keyId.toString('hex')}+${material.toString('base64')}`;
}

/** `HH:MM` of a stored UTC time in {@link ZONE}. */
function zoneClock(iso: string): string {
  const shifted = new Date(Date.parse(iso) + ZONE_OFFSET_MS);
  return `${String(shifted.getUTCHours()).padStart(2, '0')}:${String(shifted.getUTCMinutes()).padStart(2, '0')}`;
}

/** The `datetime-local` text of a time in {@link ZONE}. */
function zoneInput(time: number): string {
  return new Date(time + ZONE_OFFSET_MS).toISOString().slice(0, 19);
}

describe('web console in Chromium', () => {
  test('sign-in keeps the secret out of URLs, cookies and localStorage; a wrong secret says what to do', async () => {
    const { context, page, watch } = await openConsole();
    await expect(page.getByRole('heading', { name: 'Sign in to the audit trail' }).isVisible()).resolves.toBe(true);
    // Signed out, only the form shows: no navigation, no sign-out.
    expect(await page.getByRole('navigation', { name: 'Console' }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(false);
    await screenshot(page, 'sign-in-desktop');
    await signIn(page, { ...server.credentials, apiSecret: 'wrong-secret' });
    await page.getByText('was not accepted').waitFor();
    expect(await page.evaluate('document.activeElement.id')).toBe('apiSecret');
    await signIn(page);
    await page.getByRole('heading', { name: 'Entries' }).waitFor();
    await page.getByText('Test organization · Test application').waitFor();
    expect(page.url()).not.toContain(server.credentials.apiSecret);
    expect(page.url()).toMatch(new RegExp(`^${server.baseUrl}/(#/)?$`));
    expect(await page.evaluate('JSON.stringify(localStorage)')).toBe('{}');
    expect(await context.cookies()).toEqual([]);
    expect(await page.evaluate('document.cookie')).toBe('');
    expect(await page.evaluate('sessionStorage.length')).toBe(1);
    // Reload keeps the tab signed in; sign-out forgets the secret.
    await page.reload();
    await page.getByRole('heading', { name: 'Entries' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('Signed out').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await expectNothingRan(page, watch);
    await context.close();
  });

  test('lists newest first, pages with the cursor, filters, and moves by keyboard', async () => {
    const { context, page, watch } = await openConsole();
    await signIn(page);
    await rows(page).first().waitFor();
    expect(await sequencesShown(page)).toEqual(Array.from({ length: 25 }, (_, i) => 36 - i));
    // Times in the viewer's zone, the stored UTC on hover.
    const newest = bySequence(36);
    const firstTime = page.locator('table.entries tbody tr').first().locator('time');
    expect(await firstTime.getAttribute('title')).toBe(`${newest.timestamp} (stored, UTC)`);
    expect(await firstTime.textContent()).toContain(zoneClock(newest.timestamp));
    await screenshot(page, 'entries-desktop', false);

    await page.getByRole('button', { name: 'Older →' }).click();
    await page.getByText('Page 2 · entries 26–36').waitFor();
    expect(await sequencesShown(page)).toEqual(Array.from({ length: 11 }, (_, i) => 11 - i));
    expect(await page.getByRole('button', { name: 'Older →' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: '← Newer' }).click();
    await page.getByText('Page 1 · entries 1–25').waitFor();

    // Exact-match filters of the API: actor, action, entity.
    await page.getByLabel('Actor ID').fill('alice@example.com');
    await page.getByLabel('Action').fill('LOGIN');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('Page 1 · entries 1–5').waitFor();
    expect(await sequencesShown(page)).toEqual([25, 19, 13, 7, 1]);
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Entity ID').fill('inv_12');
    await page.getByLabel('Entity ID').press('Enter');
    await page.getByText('Page 1 · entries 1–1').waitFor();
    expect(await sequencesShown(page)).toEqual([12]);

    // The time filter, typed in the viewer's zone: from the second after entry 33 only carol's three remain.
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('From (your time zone)').fill(zoneInput(Math.ceil((Date.parse(bySequence(33).timestamp) + 1) / 1000) * 1000));
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('Page 1 · entries 1–3').waitFor();
    expect(await sequencesShown(page)).toEqual([36, 35, 34]);

    // A filter that matches nothing says what to do.
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Actor ID').fill('nobody');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No entries match these filters').waitFor();
    await page.getByRole('button', { name: 'Clear' }).click();
    await rows(page).first().waitFor();

    // Keyboard: Tab to the first row, arrows between rows, Enter opens, Escape comes back.
    await page.locator('a.row-link').first().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /^Entry #35/ }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: 'Entries' }).waitFor();
    await expectNothingRan(page, watch);

    // At phone width (a fresh load, as a phone would get it: filters folded) the table turns into cards.
    await page.setViewportSize(PHONE);
    await page.reload();
    await rows(page).first().waitFor();
    expect(await page.locator('details.filter-panel').getAttribute('open')).toBeNull();
    await screenshot(page, 'entries-phone', false);
    // At phone width nothing overflows sideways.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await context.close();
  });

  test('an empty application, a rejected filter and an unreachable server each say what to do', async () => {
    const empty = await server.createTenant('Empty');
    const { context, page, watch } = await openConsole();
    await signIn(page, empty);
    await page.getByText('This application has no entries yet').waitFor();
    await page.getByText('audit-trail log alice LOGIN').waitFor();
    await screenshot(page, 'empty-desktop');
    // The server's own answer to a too-long filter, turned into a sentence naming the filter.
    await page.getByLabel('Actor ID').fill('x'.repeat(300));
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/The filter "actorId" was not accepted: .*Correct it and apply the filters again\./);
    // The connection drops: the message says so, and Try again recovers once it is back.
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByText('This application has no entries yet').waitFor();
    await page.route('**/api/entries*', (route) => route.abort('connectionrefused'));
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('The server could not be reached').waitFor();
    await page.unroute('**/api/entries*');
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByText('This application has no entries yet').waitFor();
    await expectNothingRan(page, watch);
    await context.close();
  });

  test('an entry shows every field and its hashes; long details are folded', async () => {
    const { context, page, watch } = await openConsole();
    await signedIn(page);
    const entry = bySequence(12);
    await page.goto(`${server.baseUrl}/#/entry/${entry.id}`);
    await page.getByRole('heading', { name: 'Entry #12: INVOICE_EDITED' }).waitFor();
    const text = (await page.locator('main').textContent()) ?? '';
    for (const value of [entry.id, entry.actorId, entry.entityType ?? '', entry.entityId ?? '', entry.hash, entry.previousHash, entry.standaloneHash, entry.applicationId]) {
      expect(text).toContain(value);
    }
    expect(await page.locator('pre.details').textContent()).toBe(JSON.stringify(entry.details, null, 2));
    expect(await page.locator('time').first().getAttribute('title')).toBe(`${entry.timestamp} (stored, UTC)`);
    // Proof: the first time, the console shows the key the server reports and asks to pin it.
    await page.getByRole('button', { name: 'Pin this key and check' }).waitFor();
    expect(await page.locator('.proof code.hash').first().textContent()).toBe(server.app.checkpoints.verifierKey);
    await page.getByRole('button', { name: 'Pin this key and check' }).click();
    await page.getByText('✓ Proven in your browser').waitFor();
    expect(await page.locator('.proof').textContent()).toContain(`Entry #12, as shown on this page, is leaf 11 of the tree of 36 entries`);
    expect(await page.evaluate(`localStorage.getItem('audit-trail-console-pinned-verifier-key')`)).toBe(server.app.checkpoints.verifierKey);
    await screenshot(page, 'entry-desktop');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'entry-phone');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);

    // A different pinned key (say, the real one, while this server signs with another) fails the check.
    await page.evaluate(`localStorage.setItem('audit-trail-console-pinned-verifier-key', ${JSON.stringify(otherVerifierKey())})`);
    await page.reload();
    await page.getByText('✗ Not proven').waitFor();
    expect(await page.locator('.proof').textContent()).toContain('The checkpoint is not signed by the pinned key');
    expect(await page.locator('.proof').textContent()).toContain('The server now reports a different checkpoint key');

    await page.setViewportSize(DESKTOP);
    await page.goto(`${server.baseUrl}/#/entry/${bySequence(33).id}`);
    await page.getByRole('heading', { name: 'Entry #33: BULK_EXPORT' }).waitFor();
    const pre = page.locator('pre.details');
    expect(await pre.isVisible()).toBe(false);
    await page.getByText(/^Show all details/).click();
    expect(await pre.isVisible()).toBe(true);
    await page.goto(`${server.baseUrl}/#/entry/00000000-0000-7000-8000-000000000000`);
    await page.getByText(/Not found: .*go back to the list/).waitFor();
    await expectNothingRan(page, watch);
    await context.close();
  });

  test('hostile entry content shows as text: no script, HTML or URL from an entry is interpreted', async () => {
    const { context, page, watch } = await openConsole();
    await signedIn(page);
    await rows(page).first().waitFor();
    const hostileRow = rows(page).filter({ has: page.locator('td.num', { hasText: /^31$/ }) });
    expect(await hostileRow.locator('td').nth(2).textContent()).toBe(HOSTILE_ACTOR);
    expect(await hostileRow.locator('td').nth(3).textContent()).toBe(HOSTILE_ACTION);
    // Bidi and zero-width characters are made visible instead of acting.
    const spoofRow = rows(page).filter({ has: page.locator('td.num', { hasText: /^32$/ }) });
    expect(await spoofRow.locator('td').nth(2).textContent()).toBe('ad⟨U+200B⟩min');
    expect(await spoofRow.locator('td').nth(3).textContent()).toBe('DELETE⟨U+202E⟩');
    await expectNothingRan(page, watch);

    await page.goto(`${server.baseUrl}/#/entry/${bySequence(31).id}`);
    await page.locator('pre.details').waitFor();
    const main = (await page.locator('main').textContent()) ?? '';
    for (const literal of [HOSTILE_ACTOR, HOSTILE_ACTION, HOSTILE_ENTITY_TYPE, HOSTILE_ENTITY_ID, '<b>Mallory</b>']) expect(main).toContain(literal);
    // Details are shown as their JSON text (quotes escaped as JSON escapes them).
    for (const literal of [HOSTILE_DETAILS.html, HOSTILE_DETAILS.link]) expect(main).toContain(JSON.stringify(literal).slice(1, -1));
    expect(main).toContain('invoice⟨U+202E⟩fdp.exe');
    expect(main).toContain('ad⟨U+200B⟩min');
    expect(main).not.toMatch(/[\u202E\u200B]/);
    // No link on the page leads anywhere but the console's own views.
    const hrefs = await page.evaluate("Array.from(document.querySelectorAll('a[href]'), (a) => a.getAttribute('href'))");
    for (const href of hrefs as string[]) expect(href).toMatch(/^#/);
    await screenshot(page, 'hostile-entry-desktop');
    await expectNothingRan(page, watch);
    // The CSP is in force: Trusted Types make an HTML sink refuse a string outright.
    expect(await page.evaluate("(() => { try { document.body.insertAdjacentHTML('beforeend', '<b>x</b>'); return 'parsed'; } catch (e) { return e.name; } })()")).toBe('TypeError');
    await context.close();
  });

  test('verification shows progress and a valid chain, then the first break after the database is tampered with', async () => {
    const { context, page, watch } = await openConsole();
    await signIn(page);
    await page.getByRole('link', { name: 'Verify' }).click();
    await page.getByRole('button', { name: 'Verify the whole chain' }).click();
    await page.getByText('✓ The chain verifies').waitFor();
    await page.getByText('Checked 36 of 36 entries').waitFor();
    expect(await page.evaluate("[document.querySelector('progress').value, document.querySelector('progress').max]")).toEqual([36, 36]);
    expect(await page.locator('.verify-result').textContent()).toContain(bySequence(36).hash);
    await screenshot(page, 'verify-ok-desktop');

    // Someone with disk access edits entry 5's details and deletes entry 20.
    const victim = bySequence(5);
    db.prepare('UPDATE entries SET details = ? WHERE id = ?').run(JSON.stringify({ step: 500, note: 'quietly changed' }), victim.id);
    db.prepare('DELETE FROM entries WHERE id = ?').run(bySequence(20).id);
    await page.getByRole('button', { name: 'Verify the whole chain' }).click();
    await page.getByText('✗ The chain is broken').waitFor();
    const result = (await page.locator('.verify-result').textContent()) ?? '';
    expect(result).toContain('First break: entry #5.');
    expect(result).toContain('standalone_hash_mismatch');
    expect(result).toContain('its content was changed after it was recorded');
    expect(result).toContain('4 of 36 entries before it verified');
    // The second break is listed too, not hidden behind the first.
    expect(result).toContain('Further breaks (1):entry #21: sequence_gap');
    await screenshot(page, 'verify-broken-desktop');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'verify-broken-phone');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await page.setViewportSize(DESKTOP);
    await page.getByRole('link', { name: 'entry #5' }).click();
    await page.getByRole('heading', { name: /^Entry #5/ }).waitFor();
    expect(await page.locator('pre.details').first().textContent()).toContain('quietly changed');
    // The browser's own check: the entry as stored now is not in the tree the pinned key signed.
    await page.getByRole('button', { name: 'Pin this key and check' }).click();
    await page.getByText('✗ Not proven').waitFor();
    expect(await page.locator('.proof').textContent()).toContain('not in the tree the pinned key signed, and its content no longer matches its standalone hash');
    await screenshot(page, 'entry-tampered-desktop');
    await expectNothingRan(page, watch);
    await context.close();
  });

  test('a long chain is verified in ranges: a break on a range boundary and removed newest entries are both found', async () => {
    const long = await server.createTenant('Long');
    for (let batch = 0; batch < 3; batch += 1) {
      const entries = Array.from({ length: batch < 2 ? 500 : 100 }, (_, i) => ({ actorId: 'svc', action: 'SYNC', details: { n: batch * 500 + i + 1 } }));
      expect((await api(server, PATHS.batch, { body: { entries }, credentials: long })).status).toBe(200);
    }
    const chain = await listAll(long);
    expect(chain).toHaveLength(1100);
    const idAt = (sequence: number): string => chain[sequence - 1]?.id ?? '';
    const { context, page, watch } = await openConsole();
    await signedIn(page, long);
    await page.getByRole('link', { name: 'Verify' }).click();
    await page.getByRole('button', { name: 'Verify the whole chain' }).click();
    await page.getByText('✓ The chain verifies').waitFor();
    await page.getByText('Checked 1100 of 1100 entries').waitFor();
    expect(await page.locator('.verify-result').textContent()).toContain(chain[1099]?.hash ?? 'the head hash');
    // Entry 501 opens the second range (500 a range here): its check must still run against entry 500.
    db.prepare('UPDATE entries SET details = ? WHERE id = ?').run(JSON.stringify({ n: -1 }), idAt(501));
    db.prepare('DELETE FROM entries WHERE id IN (?, ?)').run(idAt(1099), idAt(1100));
    await page.getByRole('button', { name: 'Verify the whole chain' }).click();
    await page.getByText('✗ The chain is broken').waitFor();
    const result = (await page.locator('.verify-result').textContent()) ?? '';
    expect(result).toContain('First break: entry #501.');
    expect(result).toContain('500 of 1098 entries before it verified');
    expect(result).toContain('Further breaks (1):position #1099 (no entry is stored there any more): entries_missing');
    await expectNothingRan(page, watch);
    await context.close();
  });
});
