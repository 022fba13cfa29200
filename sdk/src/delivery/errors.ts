/**
 * Errors of the delivery pipeline. Both are {@link AuditTrailError}s, so `isAuditTrailError` covers them.
 */
import { AuditTrailError } from '../errors.js';

/** `enqueue` with `whenFull: 'throw'` found the queue full (count or bytes). */
export class QueueFullError extends AuditTrailError {
  override name = 'QueueFullError' as const;
}

/** `enqueue` was called after `close()`, or the client closed while the entry waited for room. */
export class ClientClosedError extends AuditTrailError {
  override name = 'ClientClosedError' as const;
}
