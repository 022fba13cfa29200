/**
 * The audit-trail SDK: record tamper-evident audit-trail entries and verify them.
 *
 * Intentionally not exported: `normalizeOptions` and the axios transport (implementation details), and the wire
 * helpers and schemas, which the app and the server import from `@audit-trail/sdk/contract`. The server-side
 * decoders (route templates, `entryFromLogRequest`, Basic-auth parsing) live in the server, not here.
 *
 * @packageDocumentation
 */
export { AuditTrailClient } from './client.js';
export { DEFAULTS, ENVIRONMENT_VARIABLES } from './options.js';
export type { ClientOptions, Logger, VerificationOptions } from './options.js';
export type { RequestOptions } from './request-options.js';
export {
  AuditTrailError,
  AuthenticationError,
  ConflictError,
  IntegrityError,
  NetworkError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError,
  errorFromResponse,
  isAuditTrailError,
  isAuthenticationError,
  isConflictError,
  isIntegrityError,
  isNetworkError,
  isNotFoundError,
  isRateLimitError,
  isServerError,
  isValidationError,
  parseRetryAfterMs,
} from './errors.js';
export type {
  AuditTrailErrorOptions,
  IntegrityFailureReason,
  NetworkErrorCode,
  OperationContext,
  ResponseHeaders,
  ValidationErrorOptions,
} from './errors.js';
export { ERROR_CODES } from './contract/error-codes.js';
export { LIMITS } from './contract/limits.js';
export type {
  ActionSummary,
  ActionsResponse,
  Application,
  ApplicationsResponse,
  AuthCheckResponse,
  BatchResponse,
  BatchResult,
  ChainFailureReason,
  ConsistencyProof,
  ConsistencyProofQuery,
  InclusionProof,
  InclusionProofQuery,
  MerkleInfo,
  TreeHead,
  CreateHookRequest,
  Entry,
  EntryField,
  ErrorBody,
  ErrorCode,
  HookSubscription,
  ListQuery,
  ListResponse,
  Receipt,
  StoredEntry,
  VerifyQuery,
  VerifyResult,
} from './contract/schemas.js';
export { ClientClosedError, QueueFullError } from './delivery/errors.js';
export { DELIVERY_DEFAULTS } from './delivery/options.js';
export type {
  BeforeSendHook,
  DeliveryOptions,
  FsyncPolicy,
  OverflowPolicy,
  RetryOptions,
  SpoolOptions,
} from './delivery/options.js';
export type {
  DeliveredEntry,
  DeliveryEventName,
  DeliveryEvents,
  DeliveryListener,
  DeliveryStats,
  FailedEntry,
  FailureReason,
  UndeliveredEntry,
} from './delivery/events.js';
export type { CloseOptions, CloseResult } from './delivery/publisher.js';
export { validateEntry } from './contract/validation.js';
export type { ValidationIssue } from './contract/validation.js';
export { GENESIS_HASH, verifyChain } from './contract/chain.js';
export { verifyConsistency, verifyInclusion } from './contract/merkle.js';
export type { ProofCheck, ProofFailure } from './contract/merkle.js';
export type { Checkpoint } from './contract/note.js';
export type { LocalTreeVerification, ReceiptVerification, VerifiedCheckpoint } from './verification/log-verifier.js';
export type { VerifyChainOptions } from './contract/chain.js';
export type { SendOptions, Transport, TransportResponse } from './transport/transport.js';
export type { WireRequest } from './contract/wire.js';
