/**
 * The Merkle tree routes, LogSentinel's names: `GET /api/verification/merkle/latestTreeHead` (a signed
 * checkpoint), `.../proofs/inclusion` and `.../proofs/consistency` (RFC 9162 proofs from the stored tree, O(log n)
 * node reads each), `.../info` (the verifier key clients pin).
 */
import type { FastifyInstance } from 'fastify';
import {
  ConsistencyProofQuerySchema,
  InclusionProofQuerySchema,
  type ConsistencyProof,
  type ConsistencyProofQuery,
  type InclusionProof,
  type InclusionProofQuery,
  type MerkleInfo,
  type StoredEntry,
  type TreeHead,
} from '@audit-trail/sdk/contract';
import { leafHash } from '@audit-trail/sdk/contract';
import { callerApplication } from '../auth/authenticate.js';
import { ROUTES } from './route-templates.js';
import type { ServerContext } from '../context.js';
import { ApiError } from '../errors.js';
import { consistencyProof, inclusionProof, withNodes } from '../merkle/tree.js';
import { readTreeHead } from '../merkle/tree-store.js';

const base64 = (hashes: readonly Buffer[]): string[] => hashes.map((hash) => hash.toString('base64'));

export function registerMerkleRoutes(app: FastifyInstance, { store, checkpoints }: ServerContext): void {
  /** The current tree size, building the tree first for a chain stored before it existed. */
  const currentSize = async (applicationId: string): Promise<number> => (await readTreeHead(store, applicationId)).size;

  const checkSize = (value: number, latest: number, field: string): number => {
    if (value > latest) throw new ApiError('invalid_field', `${field} ${value} is larger than the tree (${latest} entries)`, field);
    return value;
  };

  app.get(ROUTES.latestTreeHead, async (request): Promise<TreeHead> => {
    const application = callerApplication(request);
    return checkpoints.sign(application.id, await readTreeHead(store, application.id));
  });

  app.get(ROUTES.merkleInfo, async (request): Promise<MerkleInfo> => {
    const application = callerApplication(request);
    return { origin: checkpoints.origin(application.id), verifierKey: checkpoints.verifierKey, treeSize: await currentSize(application.id) };
  });

  app.get<{ Querystring: InclusionProofQuery }>(
    ROUTES.inclusionProof,
    { schema: { querystring: InclusionProofQuerySchema } },
    async (request): Promise<InclusionProof> => {
      const application = callerApplication(request);
      const { entryId, sequence, treeSize } = request.query;
      if ((entryId === undefined) === (sequence === undefined)) {
        throw new ApiError(entryId === undefined ? 'missing_field' : 'invalid_field', 'Give exactly one of entryId or sequence', 'entryId');
      }
      const latest = await currentSize(application.id);
      const size = treeSize === undefined ? latest : checkSize(treeSize, latest, 'treeSize');
      const entry: StoredEntry | undefined =
        entryId !== undefined
          ? await store.entries.findById(application.id, entryId)
          : await store.entries.findBySequence(application.id, sequence as number);
      if (!entry || entry.sequence > latest) throw new ApiError('not_found', 'No such entry in this application', entryId === undefined ? 'sequence' : 'entryId');
      if (entry.sequence > size) {
        throw new ApiError('invalid_field', `entry ${entry.sequence} is not in a tree of ${size} entries`, 'treeSize');
      }
      const index = entry.sequence - 1;
      const path = await withNodes(store, application.id, (read) => inclusionProof(index, size, read));
      return {
        logEntryId: entry.id,
        sequence: entry.sequence,
        leafIndex: index,
        treeSize: size,
        leafHash: leafHash(entry).toString('base64'),
        auditPath: base64(path),
      };
    },
  );

  app.get<{ Querystring: ConsistencyProofQuery }>(
    ROUTES.consistencyProof,
    { schema: { querystring: ConsistencyProofQuerySchema } },
    async (request): Promise<ConsistencyProof> => {
      const application = callerApplication(request);
      const latest = await currentSize(application.id);
      const second = request.query.secondTreeSize === undefined ? latest : checkSize(request.query.secondTreeSize, latest, 'secondTreeSize');
      const first = request.query.firstTreeSize;
      if (first > second) throw new ApiError('invalid_field', `firstTreeSize ${first} is larger than secondTreeSize ${second}`, 'firstTreeSize');
      const path = await withNodes(store, application.id, (read) => consistencyProof(first, second, read));
      return { firstTreeSize: first, secondTreeSize: second, consistencyPath: base64(path) };
    },
  );
}
