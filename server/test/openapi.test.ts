import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, ROUTES } from '../../sdk/src/contract/schemas.js';
import { buildOpenApiDocument, openApiJson } from '../src/openapi.js';
import { startServer, type TestServer } from './support/start-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

describe('OpenAPI document', () => {
  test('docs/openapi.json is up to date (regenerate: npm run build && node dist/server/openapi.js)', () => {
    expect(readFileSync(join(__dirname, '../../docs/openapi.json'), 'utf8')).toBe(openApiJson());
  });

  test('documents every route of the contract', () => {
    const paths = Object.keys(buildOpenApiDocument()['paths'] as object);
    const asOpenApi = (route: string) => route.replace(/:(\w+)/g, '{$1}');
    for (const route of Object.values(ROUTES)) expect(paths).toContain(asOpenApi(route));
  });

  test('lists every error code and is served at GET /openapi.json without credentials', async () => {
    const response = await fetch(`${server.baseUrl}/openapi.json`);
    expect(response.status).toBe(200);
    const served = (await response.json()) as { info: { description: string } };
    expect(served).toEqual(JSON.parse(openApiJson()));
    for (const code of ERROR_CODES) expect(served.info.description).toContain(code);
  });
});
