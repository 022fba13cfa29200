/**
 * The OpenAPI 3.1 document of the service, built from the contract's TypeBox schemas (so it cannot drift from
 * them) and from the server's query/body schemas. Served at `GET /openapi.json`; `node dist/server/openapi.js`
 * rewrites docs/openapi.json, and test/server/openapi.test.ts fails when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TObject, TSchema } from '@sinclair/typebox';
import {
  ActionSummarySchema,
  ActionsResponseSchema,
  ApplicationSchema,
  ApplicationsResponseSchema,
  AuthCheckResponseSchema,
  BatchRequestSchema,
  BatchResponseSchema,
  BatchSummarySchema,
  BatchResultSchema,
  ChainBreakSchema,
  ChainFailureReasonSchema,
  CreateHookRequestSchema,
  ERROR_CODES,
  ErrorDetailSchema,
  EntryByIdQuerySchema,
  EntrySchema,
  ErrorBodySchema,
  HEADERS,
  HookSubscriptionSchema,
  LIMITS,
  ListQuerySchema,
  ListResponseSchema,
  PATHS,
  ReceiptSchema,
  StoredEntrySchema,
  VerifyQuerySchema,
  VerifyResultSchema,
  TreeHeadSchema,
  InclusionProofSchema,
  InclusionProofQuerySchema,
  ConsistencyProofSchema,
  ConsistencyProofQuerySchema,
  MerkleInfoSchema,
  IntegrityBreakSchema,
  IntegrityStatusSchema,
} from '@audit-trail/sdk/contract';
import { ADMIN_COMPONENTS, ADMIN_SECURITY_SCHEME, adminPaths } from './openapi-admin.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });

/**
 * The request and response shapes, each the contract's own schema (the same object the SDK's types and the
 * validators come from), named by its `title`. Where one of them is nested in another, the document writes a
 * `$ref` to it instead of a second copy.
 */
const COMPONENTS: readonly TSchema[] = [
  EntrySchema,
  ReceiptSchema,
  StoredEntrySchema,
  ErrorDetailSchema,
  ErrorBodySchema,
  BatchRequestSchema,
  BatchResultSchema,
  BatchResponseSchema,
  BatchSummarySchema,
  ListResponseSchema,
  ChainFailureReasonSchema,
  ChainBreakSchema,
  VerifyResultSchema,
  AuthCheckResponseSchema,
  ApplicationSchema,
  ApplicationsResponseSchema,
  ActionSummarySchema,
  ActionsResponseSchema,
  CreateHookRequestSchema,
  HookSubscriptionSchema,
  TreeHeadSchema,
  InclusionProofSchema,
  ConsistencyProofSchema,
  MerkleInfoSchema,
  IntegrityBreakSchema,
  IntegrityStatusSchema,
];

function componentSchemas(): Record<string, unknown> {
  const titleOf = (schema: TSchema): string => {
    if (typeof schema.title !== 'string') throw new Error('an OpenAPI component schema needs a title');
    return schema.title;
  };
  const components = new Set<unknown>(COMPONENTS);
  const withRefs = (value: unknown, top: boolean): unknown => {
    if (Array.isArray(value)) return value.map((item) => withRefs(item, false));
    if (typeof value !== 'object' || value === null) return value;
    if (!top && components.has(value)) return ref(titleOf(value as TSchema));
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withRefs(item, false)]));
  };
  return Object.fromEntries(COMPONENTS.map((schema) => [titleOf(schema), withRefs(schema, true)]));
}

/** Query parameters of an operation from a TypeBox object schema. */
function queryParameters(schema: TObject): unknown[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: required.has(name),
    description: (property as { description?: string }).description,
    schema: property,
  }));
}

const errorResponse = (description: string) => ({ description, content: json(ref('ErrorBody')) });
const COMMON_ERRORS = {
  '400': errorResponse('Invalid input (`missing_field`, `invalid_field`, `field_too_long`, `malformed_json`, ...)'),
  '401': errorResponse('`unauthorized`: missing or wrong credentials'),
  '403': errorResponse('`unknown_application`: the Application-Id is not an application of the organization'),
  '405': errorResponse('`method_not_allowed` (with an `Allow` header)'),
  '429': errorResponse('`rate_limited`: too many failed authentications from this client address or for this organization (`Retry-After`)'),
  '500': errorResponse('`internal_error` (message masked)'),
};
const OVERLOADED = { '503': errorResponse('`service_unavailable`: too many appends in flight; retry after `Retry-After` seconds') };

const header = (name: string, description: string) => ({ name, in: 'header', required: false, description, schema: { type: 'string' } });
const LOG_HEADERS = [
  header(HEADERS.idempotencyKey, 'A retry with a stored key returns the original receipt (200, `Idempotent-Replayed: true`).'),
  header(HEADERS.actorDisplayName, 'Percent-encoded UTF-8.'),
  header(HEADERS.actorRoles, 'Comma-separated, each role percent-encoded.'),
  header(HEADERS.occurredAt, 'ISO-8601 date-time with a time zone.'),
  header(HEADERS.ip, 'IPv4 or IPv6 address of the actor.'),
];
const pathParameter = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });

function logOperation(withEntity: boolean): Record<string, unknown> {
  return {
    post: {
      operationId: withEntity ? 'logAboutEntity' : 'log',
      summary: withEntity ? 'Record one entry about an entity' : 'Record one entry',
      description: 'The body is the details: JSON object (`application/json`) or text (any other content type). Empty body: no details.',
      parameters: [
        pathParameter('actorId', 'Who acted (URL-encoded).'),
        pathParameter('action', 'What they did (URL-encoded).'),
        ...(withEntity ? [pathParameter('entityType', 'Kind of thing acted upon.'), pathParameter('entityId', 'Its id.')] : []),
        ...LOG_HEADERS,
      ],
      requestBody: {
        required: false,
        content: { 'application/json': { schema: { type: 'object' } }, 'text/plain': { schema: { type: 'string' } } },
      },
      responses: {
        '201': { description: 'Stored', content: json(ref('Receipt')) },
        '200': { description: 'Idempotent replay: the original receipt, nothing stored', content: json(ref('Receipt')) },
        ...COMMON_ERRORS,
        '413': errorResponse('`body_too_large` or `details_too_large`'),
        ...OVERLOADED,
      },
    },
  };
}

/** Builds the OpenAPI document. */
export function buildOpenApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Audit Trail API',
      version: '1.0.0',
      description:
        'Tamper-evident (hash-chained) audit trails, LogSentinel-style. Every /api route needs HTTP Basic ' +
        '`organizationId:apiSecret` and (except /api/applications) the `Application-Id` header. Errors are ' +
        `\`{ "error": { "code", "message", "field"? } }\` with code one of: ${ERROR_CODES.join(', ')}.`,
    },
    servers: [{ url: 'http://127.0.0.1:8080' }],
    security: [{ basicAuth: [], applicationId: [] }],
    paths: {
      '/api/log/{actorId}/{action}': logOperation(false),
      '/api/log/{actorId}/{action}/{entityType}/{entityId}': logOperation(true),
      [PATHS.batch]: {
        post: {
          operationId: 'logBatch',
          summary: 'Record many entries in order, with a result per entry',
          requestBody: { required: true, content: json(ref('BatchRequest')) },
          parameters: [
            {
              name: 'Prefer',
              in: 'header',
              required: false,
              description: '`return=minimal` (RFC 7240) asks for a BatchSummary (counts and rejections, no receipts), confirmed by `Preference-Applied: return=minimal`.',
              schema: { type: 'string' },
            },
          ],
          responses: {
            '200': {
              description: 'One result per entry (stored / duplicate / rejected); with `Prefer: return=minimal`, a BatchSummary',
              content: json({ oneOf: [ref('BatchResponse'), ref('BatchSummary')] }),
            },
            ...COMMON_ERRORS,
            '413': errorResponse(`\`batch_too_large\` (more than ${LIMITS.batchEntries} entries) or \`body_too_large\``),
            ...OVERLOADED,
            '415': errorResponse('`unsupported_media_type`: the body must be application/json'),
          },
        },
      },
      [PATHS.entries]: {
        get: {
          operationId: 'listEntries',
          summary: 'List entries, newest first, with filters and an opaque cursor',
          parameters: queryParameters(ListQuerySchema),
          responses: { '200': { description: 'A page', content: json(ref('ListResponse')) }, ...COMMON_ERRORS },
        },
      },
      [PATHS.entryById]: {
        get: {
          operationId: 'getEntryById',
          summary: 'One entry',
          parameters: queryParameters(EntryByIdQuerySchema),
          responses: {
            '200': { description: 'The entry', content: json(ref('StoredEntry')) },
            '404': errorResponse('`not_found`'),
            ...COMMON_ERRORS,
          },
        },
      },
      [PATHS.verifyChain]: {
        get: {
          operationId: 'verifyChain',
          summary: "Recompute the application's hash chain (or a range) and report every break (bounded)",
          description:
            'Without a range: a full pass in a worker thread (never on the event loop); its breaks are kept and reported by `GET ' +
            PATHS.integrity +
            '` too. Verification goes on past a break, so a second break is never hidden behind the first.',
          parameters: queryParameters(VerifyQuerySchema),
          responses: { '200': { description: 'The result', content: json(ref('VerifyResult')) }, ...COMMON_ERRORS },
        },
      },
      [PATHS.latestTreeHead]: {
        get: {
          operationId: 'latestTreeHead',
          summary: "The signed checkpoint of the application's Merkle tree (C2SP tlog-checkpoint, signed note)",
          responses: { '200': { description: 'The tree head', content: json(ref('TreeHead')) }, ...COMMON_ERRORS },
        },
      },
      [PATHS.inclusionProof]: {
        get: {
          operationId: 'inclusionProof',
          summary: 'RFC 9162 inclusion proof of an entry (by entryId or sequence) in a tree size (default: the latest)',
          parameters: queryParameters(InclusionProofQuerySchema),
          responses: {
            '200': { description: 'The proof', content: json(ref('InclusionProof')) },
            '404': errorResponse('`not_found`: no such entry'),
            ...COMMON_ERRORS,
          },
        },
      },
      [PATHS.consistencyProof]: {
        get: {
          operationId: 'consistencyProof',
          summary: 'RFC 9162 consistency proof between two tree sizes (second default: the latest)',
          parameters: queryParameters(ConsistencyProofQuerySchema),
          responses: { '200': { description: 'The proof', content: json(ref('ConsistencyProof')) }, ...COMMON_ERRORS },
        },
      },
      [PATHS.merkleInfo]: {
        get: {
          operationId: 'merkleInfo',
          summary: "The application's log origin and the service's verifier key (C2SP signed-note format), to pin",
          responses: { '200': { description: 'Origin, verifier key, tree size', content: json(ref('MerkleInfo')) }, ...COMMON_ERRORS },
        },
      },
      [PATHS.integrity]: {
        get: {
          operationId: 'integrityStatus',
          summary: 'The verified watermark and every break found (checks only the entries added since the last check)',
          description:
            'Each call verifies the entries after the watermark (cost grows with new entries, not with the trail) and starts a full pass in a worker when the last one is older than the interval. Breaks have stable ids: the integrity alert fires once per break.',
          responses: { '200': { description: 'The status', content: json(ref('IntegrityStatus')) }, ...COMMON_ERRORS },
        },
      },
      [PATHS.authCheck]: {
        get: {
          operationId: 'authCheck',
          summary: 'Who the credentials belong to',
          responses: { '200': { description: 'The caller', content: json(ref('AuthCheckResponse')) }, ...COMMON_ERRORS },
        },
      },
      [PATHS.applications]: {
        get: {
          operationId: 'listApplications',
          summary: "The organization's applications (no Application-Id needed)",
          security: [{ basicAuth: [] }],
          responses: { '200': { description: 'Oldest first', content: json(ref('ApplicationsResponse')) }, ...COMMON_ERRORS },
        },
      },
      [PATHS.actions]: {
        get: {
          operationId: 'listActions',
          summary: 'Distinct actions, most recently recorded first',
          responses: { '200': { description: 'The actions', content: json(ref('ActionsResponse')) }, ...COMMON_ERRORS },
        },
      },
      [PATHS.hooks]: {
        post: {
          operationId: 'subscribeHook',
          summary: 'Subscribe a webhook: each new matching entry is POSTed (StoredEntry JSON) to targetUrl',
          description:
            'Delivery is asynchronous, durable across restarts and retried on network errors and non-2xx replies; a 410 reply removes the subscription. ' +
            'The target must be https and resolve to public addresses only. Each delivery carries `Audit-Trail-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` keyed by the `secret` of the reply (shown once).',
          requestBody: { required: true, content: json(ref('CreateHookRequest')) },
          responses: {
            '201': { description: 'Subscribed; the reply holds the signing secret, shown only here', content: json(ref('HookSubscription')) },
            ...COMMON_ERRORS,
            '409': errorResponse('`hook_limit_reached`: the application has as many subscriptions as it may'),
            '422': errorResponse('`target_not_allowed`: userinfo, plain http, or a host resolving to a loopback, private, link-local, multicast or metadata address'),
            '415': errorResponse('`unsupported_media_type`'),
          },
          callbacks: {
            entry: { '{$request.body#/targetUrl}': { post: { requestBody: { content: json(ref('StoredEntry')) }, responses: { '200': { description: 'Delivered' } } } } },
          },
        },
      },
      '/api/hooks/{id}': {
        delete: {
          operationId: 'unsubscribeHook',
          summary: 'Remove a webhook subscription',
          parameters: [pathParameter('id', 'Subscription id')],
          responses: { '204': { description: 'Removed' }, '404': errorResponse('`not_found`'), ...COMMON_ERRORS },
        },
      },
      ...adminPaths(),
    },
    components: {
      securitySchemes: {
        basicAuth: { type: 'http', scheme: 'basic', description: 'organizationId:apiSecret' },
        applicationId: { type: 'apiKey', in: 'header', name: HEADERS.applicationId },
        ...ADMIN_SECURITY_SCHEME,
      },
      schemas: { ...componentSchemas(), ...ADMIN_COMPONENTS },
    },
  };
}

/** The document as committed: 2-space JSON with a final newline (symbol keys of TypeBox schemas drop out). */
export function openApiJson(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}

if (require.main === module) {
  const target = join(__dirname, '../../docs/openapi.json');
  writeFileSync(target, openApiJson());
  process.stdout.write(`wrote ${target}\n`);
}
