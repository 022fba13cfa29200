import nock from 'nock';
import { perform } from '../../creates/verify_audit_trail';
import { PATHS, type VerifyResult } from '../../sdk/src/contract/schemas';
import sample from '../../samples/verification.json';
import { NOCK_BASE_URL, appTester, authData, thrownBy } from '../helpers/app-bundle';
import { useNock } from '../../sdk/test/support/use-nock';

describe('create verify_audit_trail (nock)', () => {
  useNock();

  it('returns an intact result with the last hash and a sentence for a report', async () => {
    const scope = nock(NOCK_BASE_URL)
      .get(PATHS.verifyChain)
      .query({ fromSequence: '2', toSequence: '9' })
      .reply(200, { valid: true, checked: 8, lastHash: 'ab'.repeat(32) } satisfies VerifyResult);
    const result = await appTester(perform, { authData, inputData: { fromSequence: 2, toSequence: 9 } });
    expect(result).toMatchObject({
      applicationId: authData.applicationId,
      valid: true,
      checked: 8,
      lastHash: 'ab'.repeat(32),
      firstBadSequence: null,
      reason: null,
      message: `The audit trail of application ${authData.applicationId} is intact: 8 entries verified, the last one with chained hash ${'ab'.repeat(32)}.`,
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
    const result = await appTester(perform, { authData, inputData: { applicationId: 'app_other' } });
    expect(result).toMatchObject({ applicationId: 'app_other', valid: false, checked: 4, firstBadSequence: 5, firstBadEntryId: 'e5', reason: 'previous_hash_mismatch', lastHash: null, breaksTruncated: false });
    expect(result.breaks).toHaveLength(2);
    expect(result.message).toBe(
      'The audit trail of application app_other is broken at entry #5: the entry does not follow the entry before it (entries were reordered or replaced). 2 breaks were found in all.',
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
