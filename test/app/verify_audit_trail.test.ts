import nock from 'nock';
import { perform } from '../../creates/verify_audit_trail';
import { createPublicKey } from 'node:crypto';
import { PATHS, type VerifyResult } from '../../sdk/src/contract/schemas';
import { ed25519PrivateKeyFromSeed, formatCheckpoint, formatVerifierKey, signNote } from '../../sdk/src/contract/note';
import sample from '../../samples/verification.json';
import { NOCK_BASE_URL, appTester, authData, thrownBy } from '../helpers/app-bundle';
import { useNock } from '../../sdk/test/support/use-nock';

/** A service's signing key (a fixed seed) and a second key that is not the service's. */
const signer = (seedByte: number, name = 'audit.example.test') => {
  const privateKey = ed25519PrivateKeyFromSeed(Buffer.alloc(32, seedByte));
  return { name, privateKey, verifierKey: formatVerifierKey(name, createPublicKey(privateKey)) };
};
const service = signer(1);
const stranger = signer(2);
const origin = `audit.example.test/app/${authData.applicationId}`;
const root = Buffer.alloc(32, 9);

/** The service's Merkle routes: a tree head signed by `by`, and the key it reports. */
function merkle(treeSize: number, by = service, reported = service.verifierKey) {
  const checkpoint = signNote(formatCheckpoint({ origin, treeSize, rootHash: root }), by);
  nock(NOCK_BASE_URL).get(PATHS.latestTreeHead).reply(200, { origin, treeSize, rootHash: root.toString('base64'), checkpoint });
  nock(NOCK_BASE_URL).get(PATHS.merkleInfo).reply(200, { origin, verifierKey: reported, treeSize });
  return checkpoint;
}

describe('create verify_audit_trail (nock)', () => {
  useNock();

  it('attaches the signed checkpoint, verified with the Trusted Verifier Key', async () => {
    nock(NOCK_BASE_URL).get(PATHS.verifyChain).reply(200, { valid: true, checked: 8, lastHash: 'ab'.repeat(32) } satisfies VerifyResult);
    const checkpoint = merkle(8);
    const result = await appTester(perform, { authData, inputData: { trustedVerifierKey: ` ${service.verifierKey} ` } });
    expect(result).toMatchObject({
      valid: true,
      treeSize: 8,
      rootHash: root.toString('base64'),
      checkpoint,
      logOrigin: origin,
      verifierKey: service.verifierKey,
      checkpointVerified: true,
      checkpointKeySource: 'trusted',
      checkpointProblem: null,
    });
    expect(result.message).toMatch(/ The signed checkpoint of 8 entries verifies with your Trusted Verifier Key\.$/);
  });

  it('a checkpoint the trusted key did not sign does not verify, even when the service reports its own key', async () => {
    nock(NOCK_BASE_URL).get(PATHS.verifyChain).reply(200, { valid: true, checked: 8, lastHash: 'ab'.repeat(32) } satisfies VerifyResult);
    merkle(8, stranger, stranger.verifierKey);
    const result = await appTester(perform, { authData, inputData: { trustedVerifierKey: service.verifierKey } });
    expect(result).toMatchObject({ valid: true, checkpointVerified: false, checkpointKeySource: 'trusted', checkpointProblem: 'unknown_key' });
    expect(result.message).toMatch(/does NOT verify with your Trusted Verifier Key \(unknown_key\): do not rely on this trail/);
  });

  it('without a trusted key, checks with the key the service reports and says that proves less', async () => {
    nock(NOCK_BASE_URL).get(PATHS.verifyChain).reply(200, { valid: true, checked: 8, lastHash: 'ab'.repeat(32) } satisfies VerifyResult);
    merkle(8);
    const result = await appTester(perform, { authData, inputData: {} });
    expect(result).toMatchObject({ checkpointVerified: true, checkpointKeySource: 'reported', verifierKey: service.verifierKey });
    expect(result.message).toMatch(/verifies with the key the service reports; give a Trusted Verifier Key/);
  });

  it('a service without checkpoints (404) still gives the chain result', async () => {
    nock(NOCK_BASE_URL).get(PATHS.verifyChain).reply(200, { valid: true, checked: 1, lastHash: 'ab'.repeat(32) } satisfies VerifyResult);
    nock(NOCK_BASE_URL).get(PATHS.latestTreeHead).reply(404, { error: { code: 'not_found', message: 'Not found' } });
    const result = await appTester(perform, { authData, inputData: {} });
    expect(result).toMatchObject({ valid: true, checkpoint: null, checkpointVerified: null, treeSize: null });
    expect(result.message).toMatch(/The service signs no checkpoints/);
  });

  it('a Trusted Verifier Key that is not a key is refused before any request', async () => {
    const scope = nock(NOCK_BASE_URL).get(PATHS.verifyChain).reply(200, { valid: true, checked: 0, lastHash: '' });
    const error = await thrownBy(() => appTester(perform, { authData, inputData: { trustedVerifierKey: 'not-a-key' } }));
    expect(error.message).toMatch(/^Trusted Verifier Key is not a verifier key \(a verifier key is <name>\+<hex key id>\+<base64 key>\)\. Copy it exactly/);
    expect(scope.isDone()).toBe(false);
  });

  it('returns an intact result with the last hash and a sentence for a report', async () => {
    const scope = nock(NOCK_BASE_URL)
      .get(PATHS.verifyChain)
      .query({ fromSequence: '2', toSequence: '9' })
      .reply(200, { valid: true, checked: 8, lastHash: 'ab'.repeat(32) } satisfies VerifyResult);
    merkle(9);
    const result = await appTester(perform, { authData, inputData: { fromSequence: 2, toSequence: 9 } });
    expect(result).toMatchObject({
      applicationId: authData.applicationId,
      valid: true,
      checked: 8,
      lastHash: 'ab'.repeat(32),
      firstBadSequence: null,
      reason: null,
      message: `The audit trail of application ${authData.applicationId} is intact: 8 entries verified, the last one with chained hash ${'ab'.repeat(32)}. The signed checkpoint of 9 entries verifies with the key the service reports; give a Trusted Verifier Key to check it against a key you trust.`,
    });
    expect(Object.keys(result).sort()).toEqual(Object.keys(sample).sort());
    scope.done();
  });

  it('returns a broken result naming the first bad entry and why (not an error: the result is the evidence)', async () => {
    nock(NOCK_BASE_URL)
      .matchHeader('Application-Id', 'app_other')
      .get(PATHS.verifyChain)
      .reply(200, {
        valid: false,
        checked: 4,
        firstBadEntryId: 'e5',
        firstBadSequence: 5,
        reason: 'previous_hash_mismatch',
        breaks: [
          { sequence: 5, entryId: 'e5', reason: 'previous_hash_mismatch' },
          { sequence: 9, entryId: 'e9', reason: 'standalone_hash_mismatch' },
        ],
        breaksTruncated: false,
      } satisfies VerifyResult);
    nock(NOCK_BASE_URL).get(PATHS.latestTreeHead).reply(404, { error: { code: 'not_found', message: 'Not found' } });
    const result = await appTester(perform, { authData, inputData: { applicationId: 'app_other' } });
    expect(result).toMatchObject({ applicationId: 'app_other', valid: false, checked: 4, firstBadSequence: 5, firstBadEntryId: 'e5', reason: 'previous_hash_mismatch', lastHash: null, breaksTruncated: false });
    expect(result.breaks).toHaveLength(2);
    expect(result.message).toBe(
      'The audit trail of application app_other is broken at entry #5: the entry does not follow the entry before it (entries were reordered or replaced). 2 breaks were found in all. The service signs no checkpoints, so no signed checkpoint is attached.',
    );
  });

  it.each([
    [{ fromSequence: 9, toSequence: 2 }, 'From Sequence Number (9) is after To Sequence Number (2). Swap them, or leave To Sequence Number empty to verify up to the newest entry.'],
    [{ fromSequence: 0 }, 'From Sequence Number must be a whole number from 1, got "0". Leave it empty to use the default.'],
    [{ toSequence: 'ten' }, 'To Sequence Number must be a whole number from 1, got "ten". Leave it empty to use the default.'],
  ])('refuses a bad range %j before any request', async (inputData, message) => {
    const scope = nock(NOCK_BASE_URL).get(PATHS.verifyChain).query(true).reply(200, { valid: true, checked: 0, lastHash: '' });
    const error = await thrownBy(() => appTester(perform, { authData, inputData: inputData as never }));
    expect(error.message).toBe(message);
    expect(scope.isDone()).toBe(false);
  });
});
