/**
 * The router's templates of the contract's {@link PATHS}: the same addresses, with `:param` where the client puts
 * an encoded value. Server-only, so it lives here rather than in the contract the SDK ships.
 */
import { PATHS } from '@audit-trail/sdk/contract';

/** Route templates, one per {@link PATHS} member. */
export const ROUTES = {
  log: '/api/log/:actorId/:action',
  logAboutEntity: '/api/log/:actorId/:action/:entityType/:entityId',
  batch: PATHS.batch,
  entries: PATHS.entries,
  entryById: PATHS.entryById,
  verifyChain: PATHS.verifyChain,
  integrity: PATHS.integrity,
  latestTreeHead: PATHS.latestTreeHead,
  inclusionProof: PATHS.inclusionProof,
  consistencyProof: PATHS.consistencyProof,
  merkleInfo: PATHS.merkleInfo,
  authCheck: PATHS.authCheck,
  applications: PATHS.applications,
  actions: PATHS.actions,
  hooks: PATHS.hooks,
  hook: '/api/hooks/:id',
} as const satisfies Record<keyof typeof PATHS, string>;
