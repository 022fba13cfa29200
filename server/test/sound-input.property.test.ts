/**
 * Property (fast-check) against the real server: random entries (text with lone surrogates and control
 * characters, numbers of every kind including non-finite, beyond ±(2^53−1) and over-precise literals, nesting,
 * duplicate keys) sent as raw JSON text in a batch. Every accepted entry reads back byte-identical and its hashes
 * verify; every rejected one is rejected with the code and field an independent oracle (written from RFC 7493,
 * not from the contract's code) names.
 */
import fc from 'fast-check';
import { PATHS, type BatchResponse, type ListResponse, type StoredEntry } from '../../sdk/src/contract/schemas.js';
import { verifyChain } from '../../sdk/src/contract/chain.js';
import { api } from './support/http.js';
import { useServer } from './support/use-server.js';

const server = useServer();

/** A JSON value as a tree, numbers as the literal text sent (so that non-JSON numbers can be written too). */
type Tree = { s: string } | { n: string; value: number } | { b: boolean } | null | Tree[] | { o: [string, Tree][]; duplicate: boolean };

const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const text = fc.string({ unit: 'binary', maxLength: 12 });
const numberLiteral = fc.oneof(
  fc.double().map((value) => ({ n: Number.isFinite(value) ? String(value) : value > 0 ? '1e400' : '-1e400', value: Number.isNaN(value) ? Infinity : value })),
  fc.integer().map((value) => ({ n: String(value), value })),
  fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }).map((value) => ({ n: value.toString(), value: Number(value) })),
  fc.constantFrom('0.10000000000000000001', '1e-400', '9007199254740993', '9007199254740991', '-9007199254740991', '1.5e300', '12.50', '-0').map((n) => ({ n, value: Number(n) })),
);
const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text.map((s) => ({ s })),
    numberLiteral,
    fc.boolean().map((b) => ({ b })),
    fc.constant(null),
    fc.array(tie('tree'), { maxLength: 4 }),
    fc.record({ o: fc.uniqueArray(fc.tuple(text, tie('tree')), { maxLength: 4, selector: ([key]) => key }), duplicate: fc.boolean() }),
  ),
}));
const details = fc.record({ o: fc.uniqueArray(fc.tuple(text, tree), { maxLength: 5, selector: ([key]) => key }), duplicate: fc.boolean() });

function write(node: Tree): string {
  if (node === null) return 'null';
  if (Array.isArray(node)) return `[${node.map(write).join(',')}]`;
  if ('s' in node) return JSON.stringify(node.s);
  if ('n' in node) return node.n;
  if ('b' in node) return String(node.b);
  const members = node.o.map(([key, value]) => `${JSON.stringify(key)}:${write(value)}`);
  // A duplicate key: the first member again, with another value.
  if (node.duplicate && node.o[0]) members.push(`${JSON.stringify(node.o[0][0])}:0`);
  return `{${members.join(',')}}`;
}

/** The value a correct reader must store: what the literal text means. */
function value(node: Tree): unknown {
  if (node === null) return null;
  if (Array.isArray(node)) return node.map(value);
  if ('s' in node) return node.s;
  if ('n' in node) return node.value;
  if ('b' in node) return node.b;
  return Object.fromEntries(node.o.map(([key, item]) => [key, value(item)]));
}

type Kind = 'invalid_unicode' | 'invalid_number' | 'unsafe_integer' | 'duplicate_key';

/** The oracle (RFC 7493): every kind of problem in the tree. */
function problems(node: Tree, found = new Set<Kind>()): Set<Kind> {
  if (node === null) return found;
  if (Array.isArray(node)) node.forEach((item) => problems(item, found));
  else if ('s' in node) {
    if (LONE.test(node.s)) found.add('invalid_unicode');
  } else if ('n' in node) {
    const parsed = Number(node.n);
    const exact = Number.isFinite(parsed) && sameDecimal(node.n, parsed);
    // An inexact literal is found in the body text; an exact one beyond ±(2^53−1) in the parsed value.
    if (!exact) found.add('invalid_number');
    else if (Number.isInteger(parsed) && Math.abs(parsed) > Number.MAX_SAFE_INTEGER) found.add('unsafe_integer');
  } else if ('o' in node) {
    for (const [key, item] of node.o) {
      if (LONE.test(key)) found.add('invalid_unicode');
      problems(item, found);
    }
    if (node.duplicate && node.o[0]) found.add('duplicate_key');
  }
  return found;
}

/** Whether a literal denotes exactly the double it parses to (compared as exact decimals with BigInt). */
function sameDecimal(literal: string, parsed: number): boolean {
  const exactOf = (s: string): [bigint, number] => {
    const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(s);
    if (!m) throw new Error(s);
    const digits = BigInt(`${m[1]}${m[2]}${m[3] ?? ''}`);
    return [digits, Number(m[4] ?? 0) - (m[3]?.length ?? 0)];
  };
  const [a, ea] = exactOf(literal);
  const [b, eb] = exactOf(parsed.toString().replace(/e\+/, 'e'));
  const shift = Math.min(ea, eb);
  return a * 10n ** BigInt(ea - shift) === b * 10n ** BigInt(eb - shift);
}

const caseArbitrary = fc.record({ name: text, details });

test('every accepted entry reads back byte-identical and verifies; every rejected one is named', async () => {
  const credentials = await server.createTenant('Property');
  await fc.assert(
    fc.asyncProperty(fc.array(caseArbitrary, { minLength: 1, maxLength: 15 }), async (cases) => {
      const body = `{"entries":[${cases
        .map((c, i) => `{"actorId":"prop","action":"A${i}","actorDisplayName":${JSON.stringify(c.name)},"details":${write(c.details)}}`)
        .join(',')}]}`;
      const response = await api<BatchResponse>(server, PATHS.batch, { body, headers: { 'content-type': 'application/json' }, credentials });
      expect(response.status).toBe(200);
      for (const [i, c] of cases.entries()) {
        const result = response.body.results[i];
        const nameProblem = c.name === '' ? 'missing_field' : LONE.test(c.name) ? 'invalid_unicode' : /[\u0000-\u001f\u007f]/.test(c.name) ? 'invalid_field' : undefined;
        const detailsProblems = problems(c.details);
        if (!nameProblem && detailsProblems.size === 0) {
          expect(result?.status).toBe('stored');
          if (result?.status !== 'stored') continue;
          const stored = (await api<StoredEntry>(server, `${PATHS.entryById}?entryId=${result.receipt.logEntryId}`, { credentials })).body;
          expect(stored.actorDisplayName).toBe(c.name);
          expect(JSON.stringify(stored.details)).toBe(JSON.stringify(value(c.details)));
          expect(stored.hash).toBe(result.receipt.hash);
        } else {
          expect(result?.status).toBe('rejected');
          if (result?.status !== 'rejected') continue;
          // Duplicate keys and inexact numbers are found in the body text first; then the fields in order.
          const textKinds = [...detailsProblems].filter((kind) => kind === 'invalid_number' || kind === 'duplicate_key');
          const valueCodes = [...detailsProblems].map((kind) => (kind === 'unsafe_integer' ? 'invalid_number' : kind));
          if (textKinds.length > 0) {
            expect(result.error.field).toBe('details');
            expect(textKinds).toContain(result.error.code);
          } else if (nameProblem) {
            expect([result.error.field, result.error.code]).toEqual(['actorDisplayName', nameProblem]);
          } else {
            expect(result.error.field).toBe('details');
            expect(valueCodes).toContain(result.error.code);
          }
        }
      }
    }),
    { numRuns: 40 },
  );
  const entries = (await api<ListResponse>(server, `${PATHS.entries}?order=asc&limit=1000`, { credentials })).body.entries;
  expect(entries.length).toBeGreaterThan(0);
  expect(verifyChain(entries)).toMatchObject({ valid: true, checked: entries.length });
}, 240_000);
