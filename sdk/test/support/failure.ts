/** The AuditTrailError a promise rejects with (a test fails when it resolves or rejects with something else). */
import { isAuditTrailError, type AuditTrailError } from '../../src/errors.js';

export async function failure(promise: Promise<unknown>): Promise<AuditTrailError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isAuditTrailError(error)) throw new Error(`expected an AuditTrailError, got ${String(error)}`);
  return error;
}
