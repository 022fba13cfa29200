/** `POST /api/log/{actorId}/{action}[/{entityType}/{entityId}]` and `POST /api/log/batch`. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HEADERS, LIMITS, PREFER_MINIMAL, type BatchResponse, type BatchResult, type BatchSummary } from '@audit-trail/sdk/contract';
import { isValidationIssue, renderJsonPath, serializeEntry, type EntryField, type ValidationIssue } from '@audit-trail/sdk/contract';
import { ROUTES } from './route-templates.js';
import { entryFromLogRequest, type LogRouteParams } from './log-request.js';
import { callerApplication } from '../auth/authenticate.js';
import { isJsonRequest, jsonTextProblemsOf, type JsonProblemsConfig } from '../body-parsers.js';
import type { ServerContext } from '../context.js';
import { ApiError } from '../errors.js';
import { receiptOf, replayReceiptOf } from '../ledger.js';

/** Whether the request asked for a compact batch reply (`Prefer: return=minimal`, RFC 7240). */
function prefersMinimal(headers: FastifyRequest['headers']): boolean {
  const prefer = headers['prefer'];
  const values = Array.isArray(prefer) ? prefer : prefer === undefined ? [] : [prefer];
  return values.some((value) => value.split(',').some((token) => token.trim().toLowerCase() === PREFER_MINIMAL));
}

/** Response header marking a reply that returns an earlier receipt instead of storing again. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';

export function registerLogRoutes(app: FastifyInstance, { appends, checkpoints }: ServerContext): void {
  const logOne = async (request: FastifyRequest<{ Params: LogRouteParams }>, reply: FastifyReply) => {
    const application = callerApplication(request);
    const serialized = serializeEntry(entryFromLogRequest(request.params, request.headers, request.body));
    if (isValidationIssue(serialized)) throw new ApiError(serialized.code, serialized.message, serialized.field);
    const { outcomes, treeHead } = await appends.append(application, [serialized.entry]);
    const [outcome] = outcomes;
    if (!outcome) throw new Error('append returned no outcome for a valid entry');
    if (outcome.status === 'rejected') throw new ApiError(outcome.issue.code, outcome.issue.message, outcome.issue.field);
    // Signed after the transaction: the chain is not held while signing.
    const checkpoint = checkpoints.sign(application.id, treeHead);
    if (outcome.status === 'duplicate') {
      return reply.code(200).header(REPLAYED_HEADER, 'true').send(replayReceiptOf(outcome.entry, checkpoint));
    }
    return reply.code(201).send(receiptOf(outcome.entry, checkpoint));
  };
  app.post(ROUTES.log, logOne);
  app.post(ROUTES.logAboutEntity, logOne);

  const batchConfig: JsonProblemsConfig = { handlesJsonTextProblems: true };
  app.post(ROUTES.batch, { config: batchConfig }, async (request, reply) => {
    const application = callerApplication(request);
    if (!isJsonRequest(request)) throw new ApiError('unsupported_media_type', 'The batch body must be application/json');
    const body = request.body as { entries?: unknown } | undefined;
    if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new ApiError('invalid_field', 'The batch body must be a JSON object { "entries": [...] }', 'entries');
    }
    if (body.entries === undefined) throw new ApiError('missing_field', 'entries is required', 'entries');
    if (!Array.isArray(body.entries)) throw new ApiError('invalid_field', 'entries must be an array', 'entries');
    if (body.entries.length > LIMITS.batchEntries) {
      throw new ApiError('batch_too_large', `A batch holds at most ${LIMITS.batchEntries} entries, got ${body.entries.length}`);
    }
    // Duplicate keys and inexact numbers reject the entry they are in, not the batch; elsewhere, the batch.
    const textIssues = new Map<number, ValidationIssue>();
    for (const problem of jsonTextProblemsOf(request)) {
      const [top, index, field] = problem.path;
      if (top !== 'entries' || typeof index !== 'number') {
        throw new ApiError(problem.code, `${renderJsonPath('body', problem.path)}: ${problem.message}`, String(top ?? 'body'));
      }
      if (textIssues.has(index)) continue;
      const where = renderJsonPath('', problem.path.slice(2)).replace(/^\./, '') || 'body';
      textIssues.set(index, {
        code: problem.code,
        field: typeof field === 'string' ? (field as EntryField) : 'body',
        message: `${where}: ${problem.message}`,
      });
    }
    const items = (body.entries as unknown[]).map((value, index) => {
      const textIssue = textIssues.get(index);
      if (textIssue) return textIssue;
      const serialized = serializeEntry(value);
      return isValidationIssue(serialized) ? serialized : serialized.entry;
    });
    const { outcomes, treeHead } = await appends.append(application, items);
    // One signature for the whole batch: every receipt carries the same checkpoint, which covers them all.
    const checkpoint = checkpoints.sign(application.id, treeHead);
    const failedLogIndexes: number[] = [];
    if (prefersMinimal(request.headers)) {
      // Counts and rejections only: a sender that keeps no receipts pays neither for building nor parsing 500 of them.
      const summary: BatchSummary = {
        stored: 0,
        duplicates: 0,
        rejected: [],
        failedLogIndexes,
        treeSize: checkpoint.treeSize,
        checkpoint: checkpoint.checkpoint,
      };
      outcomes.forEach((outcome, index) => {
        if (outcome.status === 'rejected') {
          failedLogIndexes.push(index);
          const { code, message, field } = outcome.issue;
          summary.rejected.push({ index, error: { code, message, field } });
        } else if (outcome.status === 'stored') {
          summary.stored += 1;
        } else summary.duplicates += 1;
      });
      return reply.code(200).header(HEADERS.preferenceApplied, PREFER_MINIMAL).send(summary);
    }
    const results = outcomes.map((outcome, index): BatchResult => {
      if (outcome.status === 'rejected') {
        failedLogIndexes.push(index);
        const { code, message, field } = outcome.issue;
        return { index, status: 'rejected', error: { code, message, field } };
      }
      const receipt = outcome.status === 'duplicate' ? replayReceiptOf(outcome.entry, checkpoint) : receiptOf(outcome.entry, checkpoint);
      return { index, status: outcome.status, receipt };
    });
    return reply.code(200).send({ results, failedLogIndexes } satisfies BatchResponse);
  });
}
