/**
 * The public surface of the SDK: what sdk/index.ts exports at run time, and type assertions that tsc checks
 * (`npx tsc -p tsconfig.test.json --noEmit` fails if a `@ts-expect-error` below stops being an error).
 */
import * as sdk from '../../src/index.js';
import type {
  ClientOptions,
  CloseResult,
  Entry,
  FailedEntry,
  IntegrityFailureReason,
  Logger,
  NetworkErrorCode,
  Receipt,
  ReceiptVerification,
  RequestOptions,
  VerifiedCheckpoint,
  VerifyResult,
} from '../../src/index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(): T | undefined => undefined;

test('exports exactly the documented values', () => {
  expect(Object.keys(sdk).sort()).toEqual(
    [
      'AuditTrailClient',
      'AuditTrailError',
      'AuthenticationError',
      'ClientClosedError',
      'ConflictError',
      'DEFAULTS',
      'DELIVERY_DEFAULTS',
      'ENVIRONMENT_VARIABLES',
      'ERROR_CODES',
      'GENESIS_HASH',
      'IntegrityError',
      'LIMITS',
      'NetworkError',
      'NotFoundError',
      'QueueFullError',
      'RateLimitError',
      'ServerError',
      'ValidationError',
      'errorFromResponse',
      'isAuditTrailError',
      'isAuthenticationError',
      'isConflictError',
      'isIntegrityError',
      'isNetworkError',
      'isNotFoundError',
      'isRateLimitError',
      'isServerError',
      'isValidationError',
      'parseRetryAfterMs',
      'validateEntry',
      'verifyChain',
      'verifyConsistency',
      'verifyInclusion',
    ].sort(),
  );
  expect(sdk.DEFAULTS).toEqual({ timeoutMs: 10_000, maxSockets: 16, maxRetries: 2, coalesce: true });
  expect(sdk.ENVIRONMENT_VARIABLES).toEqual({
    baseUrl: 'AUDIT_TRAIL_BASE_URL',
    organizationId: 'AUDIT_TRAIL_ORGANIZATION_ID',
    apiSecret: 'AUDIT_TRAIL_API_SECRET',
    applicationId: 'AUDIT_TRAIL_APPLICATION_ID',
  });
});

test('error classes form one hierarchy with names that survive minification-free logs', () => {
  const errors = [
    new sdk.AuthenticationError('a'),
    new sdk.RateLimitError('r', 1000),
    new sdk.ValidationError('v', { field: 'actorId', code: 'missing_field' }),
    new sdk.NotFoundError('n'),
    new sdk.ConflictError('c'),
    new sdk.ServerError('s'),
    new sdk.NetworkError('x', { code: 'ECONNRESET' }),
    new sdk.IntegrityError('tree_truncated', 't'),
  ];
  for (const error of errors) {
    expect(error).toBeInstanceOf(sdk.AuditTrailError);
    expect(error).toBeInstanceOf(Error);
    expect(sdk.isAuditTrailError(error)).toBe(true);
    expect(error.name).toBe(error.constructor.name);
    expect(String(error)).toBe(`${error.name}: ${error.message}`);
  }
  expect(sdk.isAuditTrailError(new Error('plain'))).toBe(false);
  expect(sdk.isRateLimitError(errors[1])).toBe(true);
  expect(sdk.isValidationError(errors[2])).toBe(true);
  expect(sdk.isNetworkError(errors[6])).toBe(true);
  expect(sdk.isIntegrityError(errors[7])).toBe(true);
  expect((errors[7] as InstanceType<typeof sdk.IntegrityError>).reason).toBe('tree_truncated');
  expect(sdk.isAuthenticationError(errors[0])).toBe(true);
  expect(sdk.isNotFoundError(errors[3])).toBe(true);
  expect(sdk.isConflictError(errors[4])).toBe(true);
  expect(sdk.isServerError(errors[5])).toBe(true);
  expect(sdk.isServerError(errors[0])).toBe(false);
  expect(JSON.parse(JSON.stringify(errors[2]))).toEqual({ name: 'ValidationError', message: 'v', code: 'missing_field', field: 'actorId' });
});

test('the type guards work with a second copy of the package loaded (brand and error.name, not instanceof)', () => {
  let other: typeof sdk | undefined;
  jest.isolateModules(() => {
    other = jest.requireActual<typeof sdk>('../../src/index.js');
  });
  const copy = other as typeof sdk;
  expect(copy.ValidationError).not.toBe(sdk.ValidationError);
  const foreign = new copy.ValidationError('v', { field: 'actorId' });
  expect(foreign instanceof sdk.ValidationError).toBe(false);
  expect(sdk.isValidationError(foreign)).toBe(true);
  expect(sdk.isAuditTrailError(foreign)).toBe(true);
  expect(sdk.isRateLimitError(foreign)).toBe(false);
  expect(sdk.isRateLimitError(new copy.RateLimitError('r', 5))).toBe(true);
  // Another library's error of the same name is not ours.
  const lookalike = Object.assign(new Error('joi'), { name: 'ValidationError' });
  expect(sdk.isValidationError(lookalike)).toBe(false);
  expect(sdk.isAuditTrailError(lookalike)).toBe(false);
  expect(Object.keys(foreign)).not.toContain(Symbol.for('@audit-trail/sdk.error').toString());
});

test('compile-time contract of the public types', () => {
  // Every connection option may come from the environment; unknown options are refused.
  const fromEnvironment: ClientOptions = {};
  // @ts-expect-error maxRetries is a number
  const missing: ClientOptions = { maxRetries: 'two' };
  void fromEnvironment;
  // @ts-expect-error secret is not an option
  const typo: ClientOptions = { baseUrl: 'http://x', organizationId: 'o', apiSecret: 's', applicationId: 'a', secret: 's' };
  // @ts-expect-error actorId and action are required
  const noActor: Entry = { details: 'x' };
  // @ts-expect-error details are text or a JSON object, not a number
  const numberDetails: Entry = { actorId: 'a', action: 'b', details: 3 };
  void [missing, typo, noActor, numberDetails];

  const client = new sdk.AuditTrailClient({ baseUrl: 'http://127.0.0.1:1', organizationId: 'o', apiSecret: 's', applicationId: 'a' });
  assertType<Equal<Awaited<ReturnType<typeof client.log>>, Receipt>>();
  assertType<Equal<Awaited<ReturnType<typeof client.verifyLocally>>, VerifyResult>>();
  assertType<Equal<Awaited<ReturnType<typeof client.close>>, CloseResult>>();
  assertType<Equal<Awaited<ReturnType<typeof client.verifyReceipt>>, ReceiptVerification>>();
  assertType<Equal<Awaited<ReturnType<typeof client.latestCheckpoint>>, VerifiedCheckpoint>>();
  assertType<Equal<InstanceType<typeof sdk.IntegrityError>['reason'], IntegrityFailureReason>>();
  // Type checks only: never called (at run time both would throw).
  const neverCalled = (): void => {
    // @ts-expect-error a receipt needs its checkpoint to be verified
    void client.verifyReceipt({ logEntryId: 'e', sequence: 1, hash: 'h', previousHash: 'p', standaloneHash: 's', timestamp: 't', treeSize: 1 });
    // @ts-expect-error verification options are checked by name
    void new sdk.AuditTrailClient({ baseUrl: 'http://x', organizationId: 'o', apiSecret: 's', applicationId: 'a', verification: { pinnedKey: 'k' } });
  };
  void neverCalled;
  assertType<Equal<CloseResult['failed'], FailedEntry[]>>();
  // Every network method takes per-call options.
  assertType<Equal<Parameters<typeof client.log>[1], RequestOptions | undefined>>();
  assertType<Equal<Parameters<typeof client.listEntries>[1], RequestOptions | undefined>>();
  assertType<Equal<Parameters<typeof client.checkAuth>[0], RequestOptions | undefined>>();
  // @ts-expect-error signal is an AbortSignal
  void client.log({ actorId: 'a', action: 'b' }, { signal: 'stop' }).catch(() => undefined);
  const logger: Logger = console;
  void logger;
  // @ts-expect-error the transport is private
  void client.transport;

  const result = {} as VerifyResult;
  if (!result.valid) {
    assertType<Equal<typeof result.reason, 'hash_mismatch' | 'standalone_hash_mismatch' | 'previous_hash_mismatch' | 'sequence_gap' | 'entries_missing' | 'unknown_hash_version'>>();
  }
  const network = new sdk.NetworkError('x', { code: 'ETIMEDOUT' });
  assertType<Equal<typeof network.code, NetworkErrorCode>>();
  // @ts-expect-error a NetworkError needs a network code
  void new sdk.NetworkError('x', {});
  const rateLimited = new sdk.RateLimitError('x', undefined);
  assertType<Equal<typeof rateLimited.retryAfterMs, number | undefined>>();
  void client.close();
  expect(true).toBe(true);
});
