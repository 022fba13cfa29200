/** `GET /openapi.json`: the OpenAPI document (also committed as docs/openapi.json). */
import type { FastifyInstance } from 'fastify';
import { buildOpenApiDocument } from '../openapi.js';

export function registerOpenApiRoute(app: FastifyInstance): void {
  const document = JSON.stringify(buildOpenApiDocument());
  app.get('/openapi.json', async (_request, reply) => reply.type('application/json').send(document));
}
