import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES } from '../../sdk/src/contract/schemas.js';
import { ROUTES } from '../src/routes/route-templates.js';
import { buildOpenApiDocument, openApiJson } from '../src/openapi.js';
import { useServer } from './support/use-server.js';

const server = useServer();

describe('OpenAPI document', () => {
  test('docs/openapi.json is up to date (regenerate: npm run build && node dist/server/openapi.js)', () => {
    expect(readFileSync(join(__dirname, '../../docs/openapi.json'), 'utf8')).toBe(openApiJson());
  });

  test('documents every route of the contract', () => {
    const paths = Object.keys(buildOpenApiDocument()['paths'] as object);
    const asOpenApi = (route: string) => route.replace(/:(\w+)/g, '{$1}');
    for (const route of Object.values(ROUTES)) expect(paths).toContain(asOpenApi(route));
  });

  test('publishes the contract schemas themselves, each once, every $ref resolving to one of them', () => {
    const document = buildOpenApiDocument() as { components: { schemas: Record<string, { title?: string }> } };
    const schemas = document.components.schemas;
    const refs = [...openApiJson().matchAll(/"\$ref": "#\/components\/schemas\/(\w+)"/g)].map((match) => match[1] as string);
    expect(refs.length).toBeGreaterThan(10);
    for (const name of refs) expect(Object.keys(schemas)).toContain(name);
    expect(schemas['ListResponse']).toMatchObject({ properties: { entries: { items: { $ref: '#/components/schemas/StoredEntry' } } } });
    expect(schemas['ErrorDetail']).toMatchObject({ properties: { code: { anyOf: ERROR_CODES.map((code) => ({ const: code })) } } });
    for (const [name, schema] of Object.entries(schemas)) expect(schema.title).toBe(name);
  });

  test('lists every error code and is served at GET /openapi.json without credentials', async () => {
    const response = await fetch(`${server.baseUrl}/openapi.json`);
    expect(response.status).toBe(200);
    const served = (await response.json()) as { info: { description: string } };
    expect(served).toEqual(JSON.parse(openApiJson()));
    for (const code of ERROR_CODES) expect(served.info.description).toContain(code);
  });
});
