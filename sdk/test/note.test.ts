/**
 * Signed notes and checkpoints (sdk/contract/note.ts) against the C2SP specifications' own published examples
 * (c2sp.org/signed-note, "Example"), then round trips of our own checkpoints.
 */
import { generateKeyPairSync } from 'node:crypto';
import {
  ed25519KeyId,
  formatCheckpoint,
  formatVerifierKey,
  openCheckpoint,
  openNote,
  parseCheckpoint,
  parseVerifierKey,
  noteSigner,
  signNote,
} from '../src/contract/note.js';

// Published in c2sp.org/signed-note, section "Verifier keys", "Example".
const SPEC_VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const SPEC_NOTE =
  'This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

describe('the C2SP signed-note example', () => {
  test('its verifier key parses, and its key id is SHA-256(name || 0x0A || 0x01 || key)[:4]', () => {
    const key = parseVerifierKey(SPEC_VKEY);
    expect(key.name).toBe('example.com/foo');
    expect(key.keyId).toBe(0x530d903a);
    expect(ed25519KeyId(key.name, key.rawPublicKey)).toBe(0x530d903a);
    expect(formatVerifierKey(key.name, key.publicKey)).toBe(SPEC_VKEY);
  });

  test('its signed note verifies, and any change to text or signature does not', () => {
    const key = parseVerifierKey(SPEC_VKEY);
    expect(openNote(SPEC_NOTE, key)).toEqual({ ok: true, text: 'This is an example message.\n' });
    expect(openNote(SPEC_NOTE.replace('example message', 'exemple message'), key)).toEqual({ ok: false, failure: 'bad_signature' });
    expect(openNote(SPEC_NOTE.replace('Uw2QOkn8', 'Uw2QOkn9'), key)).toEqual({ ok: false, failure: 'bad_signature' });
  });

  test('a signature by another key is ignored; with none by ours, the note is rejected', () => {
    const key = parseVerifierKey(SPEC_VKEY);
    const witness = signNote('This is an example message.\n', { name: 'witness.example', privateKey: generateKeyPairSync('ed25519').privateKey });
    const cosigned = `${SPEC_NOTE}${witness.split('\n\n')[1]}`;
    expect(openNote(cosigned, key)).toEqual({ ok: true, text: 'This is an example message.\n' });
    expect(openNote(witness, key)).toEqual({ ok: false, failure: 'unknown_key' });
    expect(openNote('no blank line\n— example.com/foo AAAA\n', key)).toEqual({ ok: false, failure: 'malformed_note' });
  });

  test('a verifier key whose id does not match its key is refused', () => {
    expect(() => parseVerifierKey(SPEC_VKEY.replace('530d903a', '530d903b'))).toThrow(/key id/);
    expect(() => parseVerifierKey('example.com/foo+530d903a')).toThrow(TypeError);
  });
});

describe('checkpoints', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const name = 'audit-trail.test';
  const verifier = parseVerifierKey(formatVerifierKey(name, publicKey));
  const rootHash = Buffer.alloc(32, 7);

  test('the text is origin, size and base64 root, one per line (the tlog-checkpoint example parses too)', () => {
    const text = formatCheckpoint({ origin: 'audit-trail.test/app/a1', treeSize: 42, rootHash });
    expect(text).toBe(`audit-trail.test/app/a1\n42\n${rootHash.toString('base64')}\n`);
    expect(parseCheckpoint(text)).toEqual({ origin: 'audit-trail.test/app/a1', treeSize: 42, rootHash });
    // Published in c2sp.org/tlog-checkpoint.
    expect(parseCheckpoint('example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n')).toMatchObject({
      origin: 'example.com/behind-the-sofa',
      treeSize: 20852163,
    });
    expect(parseCheckpoint('o\n042\nAAAA\n')).toBeUndefined();
  });

  test('a signed checkpoint opens with its key and origin, and not with another key or origin', () => {
    const note = signNote(formatCheckpoint({ origin: 'audit-trail.test/app/a1', treeSize: 3, rootHash }), { name, privateKey });
    expect(note).toMatch(/^audit-trail.test\/app\/a1\n3\n.+\n\n— audit-trail.test [A-Za-z0-9+/=]+\n$/);
    expect(openCheckpoint(note, verifier, 'audit-trail.test/app/a1')).toEqual({
      ok: true,
      checkpoint: { origin: 'audit-trail.test/app/a1', treeSize: 3, rootHash },
    });
    expect(openCheckpoint(note, verifier, 'audit-trail.test/app/other')).toEqual({ ok: false, failure: 'origin_mismatch' });
    const other = parseVerifierKey(formatVerifierKey(name, generateKeyPairSync('ed25519').publicKey));
    expect(openCheckpoint(note, other).ok).toBe(false);
  });

  test('a prepared signer (key id derived once) gives exactly the notes signNote gives, each opening with the key', () => {
    const sign = noteSigner({ name, privateKey });
    for (const treeSize of [1, 2, 1000]) {
      const text = formatCheckpoint({ origin: 'audit-trail.test/app/a1', treeSize, rootHash });
      const note = sign(text);
      expect(note).toBe(signNote(text, { name, privateKey }));
      expect(openCheckpoint(note, verifier, 'audit-trail.test/app/a1')).toMatchObject({ ok: true, checkpoint: { treeSize } });
    }
    expect(() => sign('no newline')).toThrow('ends with a newline');
    expect(() => noteSigner({ name: 'bad name', privateKey })).toThrow('invalid key name');
  });
});
