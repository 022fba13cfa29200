/**
 * The console's in-browser checks (server/console/src/transparency.ts), run in Chromium with WebCrypto, against
 * checkpoints signed and Merkle trees built here in Node from the specifications' own definitions: the tree
 * hash MTH and the audit path PATH of RFC 9162 §2.1.1 and §2.1.3.1 (recursive, unlike the iterative check under
 * test), and a C2SP signed note signed with node:crypto's Ed25519.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CONSOLE_DIR } from '../src/routes/console.js';
import { startServer, type TestServer } from './support/start-server.js';

jest.setTimeout(120_000);

const sha256 = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();
const leafHash = (leaf: Buffer): Buffer => sha256(Buffer.of(0), leaf);
const nodeHash = (left: Buffer, right: Buffer): Buffer => sha256(Buffer.of(1), left, right);
/** The largest power of two smaller than n (n > 1). */
const split = (n: number): number => 2 ** Math.floor(Math.log2(n - 1));

/** RFC 9162 §2.1.1 MTH. */
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leafHash(leaves[0] as Buffer);
  const k = split(leaves.length);
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

/** RFC 9162 §2.1.3.1 PATH(m, D[n]). */
function path(m: number, leaves: Buffer[]): Buffer[] {
  if (leaves.length <= 1) return [];
  const k = split(leaves.length);
  return m < k ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))] : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}

interface Signer {
  name: string;
  vkey: string;
  keyId: Buffer;
  privateKey: KeyObject;
}

function signer(name: string): Signer {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  const material = Buffer.concat([Buffer.of(1), raw]);
  const keyId = sha256(Buffer.from(`${name}\n`), material).subarray(0, 4);
  return { name, keyId, privateKey, vkey: `${name}+${keyId.toString('hex')}+${material.toString('base64')}` };
}

const signatureLine = (by: Signer, text: string): string =>
  `\u2014 ${by.name} ${Buffer.concat([by.keyId, sign(null, Buffer.from(text), by.privateKey)]).toString('base64')}\n`;

function checkpoint(origin: string, leaves: Buffer[], ...signers: Signer[]): string {
  const text = `${origin}\n${leaves.length}\n${mth(leaves).toString('base64')}\n`;
  return `${text}\n${signers.map((s) => signatureLine(s, text)).join('')}`;
}

let server: TestServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!existsSync(join(CONSOLE_DIR, 'dist', 'transparency.js'))) throw new Error('The console is not built: run `npm run build` first');
  server = await startServer();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage();
  await page.goto(`${server.baseUrl}/`);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Case {
  vkey: string;
  note: string;
  index: number;
  leaf: string;
  proof: string[];
}

/** Runs the module's checks in the page (under the console's CSP) and returns 'included', 'not included' or the error. */
async function check(cases: Case[]): Promise<string[]> {
  return (await page.evaluate(`(async (cases) => {
    const t = await import('/console/transparency.js');
    const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const out = [];
    for (const c of cases) {
      try {
        const key = await t.parseVerifierKey(c.vkey);
        const cp = t.parseCheckpoint(await t.verifyNote(c.note, key));
        const ok = await t.verifyInclusion(cp, BigInt(c.index), await t.leafHash(bytes(c.leaf)), c.proof.map(bytes));
        out.push(ok ? 'included' : 'not included');
      } catch (e) { out.push(e.name + ': ' + e.message); }
    }
    return out;
  })(${JSON.stringify(cases)})`)) as string[];
}

const leavesOf = (n: number): Buffer[] => Array.from({ length: n }, (_, i) => Buffer.from(`entry ${i + 1}`));
const b64 = (buffers: Buffer[]): string[] => buffers.map((b) => b.toString('base64'));

describe('in-browser checkpoint and inclusion proof checks', () => {
  const log = signer('audit-trail.test/log');
  const other = signer('audit-trail.test/other');

  test('every leaf of trees of 1 to 17 leaves is proven included against a checkpoint signed by the pinned key', async () => {
    const cases: Case[] = [];
    for (let n = 1; n <= 17; n += 1) {
      const leaves = leavesOf(n);
      const note = checkpoint('audit-trail.test/log', leaves, other, log);
      for (let m = 0; m < n; m += 1) cases.push({ vkey: log.vkey, note, index: m, leaf: (leaves[m] as Buffer).toString('base64'), proof: b64(path(m, leaves)) });
    }
    expect(new Set(await check(cases))).toEqual(new Set(['included']));
    expect(cases).toHaveLength(153);
  });

  test('a changed entry, a proof for another position, a cut or padded proof are not proven', async () => {
    const leaves = leavesOf(11);
    const note = checkpoint('audit-trail.test/log', leaves, log);
    const proof = b64(path(6, leaves));
    const leaf = (leaves[6] as Buffer).toString('base64');
    expect(await check([
      { vkey: log.vkey, note, index: 6, leaf: Buffer.from('entry 7, edited').toString('base64'), proof },
      { vkey: log.vkey, note, index: 5, leaf, proof },
      { vkey: log.vkey, note, index: 6, leaf, proof: proof.slice(0, -1) },
      { vkey: log.vkey, note, index: 6, leaf, proof: [...proof, proof[0] as string] },
      { vkey: log.vkey, note, index: 11, leaf, proof },
    ])).toEqual([
      'not included',
      'not included',
      'TransparencyError: The inclusion proof is shorter than the tree requires',
      'TransparencyError: The inclusion proof is longer than the tree allows',
      "TransparencyError: The entry is not inside the checkpoint's tree",
    ]);
  });

  test('a checkpoint altered after signing, or signed only by another key, or a wrong pinned key, is rejected', async () => {
    const leaves = leavesOf(4);
    const note = checkpoint('audit-trail.test/log', leaves, log);
    const proof = b64(path(0, leaves));
    const leaf = (leaves[0] as Buffer).toString('base64');
    // The server shrinks the tree in a signed checkpoint (as if to hide an entry): the text no longer matches.
    const shrunk = note.replace('\n4\n', '\n3\n');
    const [, idHex = ''] = log.vkey.split('+');
    expect(await check([
      { vkey: log.vkey, note: shrunk, index: 0, leaf, proof },
      { vkey: log.vkey, note: checkpoint('audit-trail.test/log', leaves, other), index: 0, leaf, proof },
      { vkey: log.vkey.replace(idHex, '00000000'), note, index: 0, leaf, proof },
      { vkey: 'not a key', note, index: 0, leaf, proof },
      { vkey: log.vkey, note: note.replace('\u2014', '-'), index: 0, leaf, proof },
    ])).toEqual([
      "TransparencyError: The checkpoint's signature by the pinned key does not verify: it was altered or signed by another key",
      'TransparencyError: The checkpoint is not signed by the pinned key',
      "TransparencyError: The verifier key's id does not match its name and public key",
      'TransparencyError: A verifier key looks like name+1a2b3c4d+base64…: check what you pasted',
      'TransparencyError: The checkpoint has a malformed signature line',
    ]);
  });
});
