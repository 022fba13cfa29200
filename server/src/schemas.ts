/**
 * TypeBox schemas of the query strings and bodies the contract describes as interfaces. Fastify validates with
 * them (error handler → `invalid_field`/`missing_field`) and the OpenAPI document publishes them. The
 * `Conforms` checks below fail to compile if a schema drifts from its contract interface.
 */
import { Type, type Static } from '@sinclair/typebox';
import { LIMITS, type CreateHookRequest, type ListQuery, type VerifyQuery } from '@audit-trail/sdk/contract';

const filter = (maxLength: number, description: string) => Type.Optional(Type.String({ minLength: 1, maxLength, description }));

/** Query of `GET /api/entries`. */
export const ListQuerySchema = Type.Object(
  {
    actorId: filter(LIMITS.actorId, 'Only entries by this actor.'),
    action: filter(LIMITS.action, 'Only entries with this action.'),
    entityType: filter(LIMITS.entityType, 'Only entries about this entity type.'),
    entityId: filter(LIMITS.entityId, 'Only entries about this entity id.'),
    idempotencyKey: filter(LIMITS.idempotencyKey, 'Only the entry recorded with this idempotency key.'),
    from: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Recorded at or after (ISO-8601).' })),
    to: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Recorded before (ISO-8601).' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.pageSize, description: 'Page size (default 50).' })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: "A previous page's nextCursor." })),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')], { description: 'desc (default) or asc.' })),
  },
  { additionalProperties: false },
);

/** Query of `GET /api/getEntryById`. */
export const EntryByIdQuerySchema = Type.Object({ entryId: Type.String({ minLength: 1, maxLength: 64 }) });

/** Query of `GET /api/verification/chain`. */
export const VerifyQuerySchema = Type.Object(
  {
    fromSequence: Type.Optional(Type.Integer({ minimum: 1, description: 'First sequence to check (default 1).' })),
    toSequence: Type.Optional(Type.Integer({ minimum: 1, description: 'Last sequence to check (default: the newest).' })),
  },
  { additionalProperties: false },
);

/** Body of `POST /api/hooks`. */
export const CreateHookRequestSchema = Type.Object(
  {
    targetUrl: Type.String({ minLength: 1, maxLength: 2048, description: 'http(s) URL each new matching entry is POSTed to.' }),
    actorId: filter(LIMITS.actorId, 'Only entries by this actor.'),
    action: filter(LIMITS.action, 'Only entries with this action.'),
    entityType: filter(LIMITS.entityType, 'Only entries about this entity type.'),
  },
  { additionalProperties: false },
);

/** Params of `DELETE /api/hooks/:id`. */
export const HookParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

type Conforms<Schema, Contract> = [Schema] extends [Contract] ? ([Contract] extends [Schema] ? true : never) : never;
const conforms: [
  Conforms<Static<typeof ListQuerySchema>, ListQuery>,
  Conforms<Static<typeof VerifyQuerySchema>, VerifyQuery>,
  Conforms<Static<typeof CreateHookRequestSchema>, CreateHookRequest>,
] = [true, true, true];
void conforms;
