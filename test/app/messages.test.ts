/**
 * Every message a Zapier user can meet, produced through the operation that shows it, against the table in
 * docs/zapier.md ("Messages a Zap shows"): each scenario's message must match a row (`<…>` stands for a value of
 * the run) and each row must be produced by a scenario, so the table is neither stale nor incomplete.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { testAuth } from '../../authentication';
import { perform as logEntry } from '../../creates/log_entry';
import { perform as logEntries } from '../../creates/log_entries';
import { perform as verify } from '../../creates/verify_audit_trail';
import { perform as findLogEntries } from '../../searches/find_log_entries';
import { perform as findEntryById } from '../../searches/find_entry_by_id';
import * as instant from '../../triggers/new_log_entry_instant';
import { perform as newLogEntry } from '../../triggers/new_log_entry';
import { LIMITS, PATHS } from '../../sdk/src/contract/schemas';
import { NOCK_BASE_URL, appTester, authData, closedPortUrl, thrownBy, type ThrownError } from '../helpers/app-bundle';
import { useNock } from '../../sdk/test/support/use-nock';

const receipt = { logEntryId: 'e1', sequence: 1, hash: 'a'.repeat(64), previousHash: '0'.repeat(64), standaloneHash: 'b'.repeat(64), timestamp: '2026-01-31T12:00:00.000Z', treeSize: 1, checkpoint: 'x' };
const entry = { actorId: 'u1', action: 'LOGIN' };
const withBaseUrl = (baseUrl: string | undefined) => ({ ...authData, baseUrl: baseUrl as string });
const logWith = (inputData: object, connection: Record<string, string> = authData) => () => appTester(logEntry, { authData: connection, inputData });
const replying = (status: number, body: object | string, headers: Record<string, string> = {}) => () => {
  nock(NOCK_BASE_URL).post(PATHS.log('u1', 'LOGIN')).reply(status, body, headers);
  return appTester(logEntry, { authData, inputData: entry });
};

/** [situation, how to produce it]. */
const SCENARIOS: [string, () => Promise<unknown>][] = [
  ['service unreachable', async () => appTester(logEntry, { authData: withBaseUrl(await closedPortUrl()), inputData: entry })],
  ['connection test against an HTML page', () => {
    nock(NOCK_BASE_URL).get(PATHS.authCheck).reply(200, '<html></html>', { 'Content-Type': 'text/html' });
    return appTester(testAuth, { authData });
  }],
  ['API Base URL missing', logWith(entry, withBaseUrl(' '))],
  ['API Base URL without scheme', logWith(entry, withBaseUrl('audit.example.com'))],
  ['API Base URL not a URL', logWith(entry, withBaseUrl('https://exa mple.com'))],
  ['API Base URL with another scheme', logWith(entry, withBaseUrl('ftp://audit.example.com'))],
  ['API Base URL http on another computer', logWith(entry, withBaseUrl('http://audit.example.com'))],
  ['API Base URL with credentials', logWith(entry, withBaseUrl('https://u:p@audit.example.com'))],
  ['API Base URL with a query', logWith(entry, withBaseUrl('https://audit.example.com/?a=1'))],
  ['connection without Application ID', logWith({ ...entry, applicationId: ' ' }, { ...authData, applicationId: '' })],
  ['401', replying(401, { error: { code: 'unauthorized', message: 'x' } })],
  ['403', replying(403, { error: { code: 'unknown_application', message: 'x' } })],
  ['429 with Retry-After', replying(429, 'slow down', { 'Retry-After': '30' })],
  ['429 without Retry-After', replying(429, 'slow down')],
  ['5xx', replying(503, 'down')],
  ['404 without the API error body', replying(404, '<h1>Not Found</h1>')],
  ['409 idempotency conflict', replying(409, { error: { code: 'idempotency_conflict', message: 'x' } })],
  ['other 4xx', replying(400, { error: { code: 'invalid_field', message: 'actorId must be text without control characters', field: 'actorId' } })],
  ['other 4xx without reason', replying(400, 'bad')],
  ['required field missing', logWith({ action: 'LOGIN' })],
  ['field invalid', logWith({ ...entry, occurredAt: 'yesterday' })],
  ['field too long', logWith({ ...entry, action: 'A'.repeat(LIMITS.action + 1) })],
  ['entity pair incomplete', logWith({ ...entry, entityType: 'invoice' })],
  ['details not JSON', logWith({ ...entry, details: '{"amount": 5,}' })],
  ['details a list', logWith({ ...entry, details: '[1]' })],
  ['details text and pairs', logWith({ ...entry, details: 'text', detailsPairs: { a: '1' } })],
  ['details key twice', logWith({ ...entry, details: '{"a":1}', detailsPairs: { a: '2' } })],
  ['read back failed', () => {
    nock(NOCK_BASE_URL).post(PATHS.log('u1', 'LOGIN')).reply(201, receipt);
    nock(NOCK_BASE_URL).get(PATHS.entryById).query(true).reply(404, { error: { code: 'not_found', message: 'x' } });
    return appTester(logEntry, { authData, inputData: entry });
  }],
  ['search without criterion', () => appTester(findLogEntries, { authData, inputData: {} })],
  ['search date not a date', () => appTester(findLogEntries, { authData, inputData: { from: 'soon' } })],
  ['entry id missing', () => appTester(findEntryById, { authData, inputData: { entryId: '' } })],
  ['batch empty', () => appTester(logEntries, { authData, inputData: { entries: [] } })],
  ['batch too many', () => appTester(logEntries, { authData, inputData: { entries: Array.from({ length: LIMITS.batchEntries + 1 }, () => entry) } })],
  ['batch invalid lines', () => appTester(logEntries, { authData, inputData: { entries: [entry, { action: 'X' } as never] } })],
  ['batch too large', () => appTester(logEntries, { authData, inputData: { entries: Array.from({ length: 20 }, () => ({ ...entry, details: 'x'.repeat(60_000) })) } })],
  ['unsubscribe without subscription', () => appTester(instant.performUnsubscribe, { authData, inputData: {} })],
  ['subscribe without target URL', () => appTester(instant.performSubscribe, { authData, inputData: {} })],
  ['delivery without entry', () => appTester(instant.perform, { authData, inputData: {}, cleanedRequest: { nope: 1 } })],
  ['verify range reversed', () => appTester(verify, { authData, inputData: { fromSequence: 5, toSequence: 2 } })],
  ['verify with a Trusted Verifier Key that is not a key', () => appTester(verify, { authData, inputData: { trustedVerifierKey: 'audit+zz+AQ' } })],
  ['verify sequence not a number', () => appTester(verify, { authData, inputData: { fromSequence: -1 } })],
  ['trigger against JSON of another API', () => {
    nock(NOCK_BASE_URL).get(PATHS.entries).query(true).reply(200, { items: [] });
    return appTester(newLogEntry, { authData, inputData: {} });
  }],
];

/** The message column of the table in docs/zapier.md, as patterns (`<…>` = any value). */
function documentedMessages(): { text: string; pattern: RegExp }[] {
  const doc = readFileSync(join(__dirname, '../../docs/zapier.md'), 'utf8');
  const table = /<!-- messages:start -->([\s\S]*?)<!-- messages:end -->/.exec(doc)?.[1] ?? '';
  return table
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| Situation') && !line.startsWith('|---'))
    .map((line) => line.split(' | ')[1] ?? '')
    .map((cell) => cell.replace(/^`|`$/g, '').replace(/\\\|/g, '|'))
    .map((text) => ({
      text,
      pattern: new RegExp(`^${text.split(/<[^>]+>/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`),
    }));
}

describe('messages a Zap shows (docs/zapier.md table)', () => {
  useNock();
  const produced: { situation: string; error: ThrownError }[] = [];

  it.each(SCENARIOS)('%s: the message is in the table', async (situation, produce) => {
    const error = await thrownBy(produce);
    produced.push({ situation, error });
    expect({ situation, message: error.message, short: error.message.length < 400 }).toEqual({ situation, message: error.message, short: true });
    const rows = documentedMessages().filter((row) => row.pattern.test(error.message));
    expect({ situation, message: error.message, documented: rows.length > 0 }).toEqual({ situation, message: error.message, documented: true });
  });

  it('every row of the table is produced by a scenario', () => {
    expect(produced).toHaveLength(SCENARIOS.length);
    const unused = documentedMessages().filter((row) => !produced.some(({ error }) => row.pattern.test(error.message)));
    expect(unused.map((row) => row.text)).toEqual([]);
  });

  it('no message shows the API Secret or header jargon', () => {
    for (const { situation, error } of produced) {
      expect({ situation, leaks: /s3cr3t|Authorization|Application-Id|HTTP Basic|ECONN|ENOTFOUND|undefined/.test(error.message) }).toEqual({ situation, leaks: false });
    }
  });
});
