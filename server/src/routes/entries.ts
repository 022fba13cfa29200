/** `GET /api/entries` (list, newest first, cursor) and `GET /api/getEntryById`. */
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { EntryByIdQuerySchema, ListQuerySchema, listQueryIssue, type StoredEntry } from '@audit-trail/sdk/contract';
import { ROUTES } from './route-templates.js';
import { callerApplication } from '../auth/authenticate.js';
import type { ServerContext } from '../context.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { ApiError } from '../errors.js';

const DEFAULT_PAGE_SIZE = 50;

/** Normalises a checked ISO-8601 filter to the stored form (UTC, ms) so string comparison is time comparison. */
const instant = (value: string | undefined): string | undefined => (value === undefined ? undefined : new Date(value).toISOString());

export function registerEntryRoutes(app: FastifyInstance, { store }: ServerContext): void {
  app.get<{ Querystring: Static<typeof ListQuerySchema> }>(
    ROUTES.entries,
    { schema: { querystring: ListQuerySchema } },
    async (request, reply) => {
      const application = callerApplication(request);
      const issue = listQueryIssue(request.query);
      if (issue) throw new ApiError(issue.code, issue.message, issue.field);
      const { cursor, limit = DEFAULT_PAGE_SIZE, order = 'desc', from, to, ...equality } = request.query;
      const afterSequence = cursor === undefined ? undefined : decodeCursor(cursor, order);
      const filter = { ...equality, from: instant(from), to: instant(to) };
      // One row more than the page says whether there is a next page. The page is sent as JSON text written from
      // the stored values (store/entry-values.ts): at 1000 entries, building entries and serialising them cost
      // several times the query.
      const rows = await store.entries.listJson(application.id, filter, { order, limit: limit + 1, afterSequence });
      const entries = rows.slice(0, limit);
      const last = entries.length > 0 ? (JSON.parse(entries[entries.length - 1] as string) as StoredEntry) : undefined;
      const nextCursor = rows.length > limit && last ? encodeCursor(last.sequence, order) : null;
      // Exactly JSON.stringify({ entries, nextCursor }) of the entries themselves (ListResponse).
      return reply.type('application/json; charset=utf-8').send(`{"entries":[${entries.join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`);
    },
  );

  app.get<{ Querystring: Static<typeof EntryByIdQuerySchema> }>(
    ROUTES.entryById,
    { schema: { querystring: EntryByIdQuerySchema } },
    async (request): Promise<StoredEntry> => {
      const application = callerApplication(request);
      const entry = await store.entries.findById(application.id, request.query.entryId);
      if (!entry) throw new ApiError('not_found', `No entry ${request.query.entryId} in this application`);
      return entry;
    },
  );
}
