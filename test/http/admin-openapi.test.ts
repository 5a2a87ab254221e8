/**
 * http_admin_api: the OpenAPI document served at /admin/openapi.json is valid OpenAPI 3.1 (a real
 * validator, @seriousme/openapi-schema-validator) and lists every operation of the table.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { Validator } from '@seriousme/openapi-schema-validator';
import { adminOperations } from '../../admin/operations.js';
import { errorCode, startAdminApi, testToken, type AdminApi } from '../helpers/admin-api.js';

let api: AdminApi;
const reader = testToken('reader', ['rooms:read']);
const all = testToken('all', ['users:read', 'users:write', 'rooms:read', 'rooms:write', 'messages:write', 'rosters:read', 'rosters:write', 'server:read']);

beforeAll(async () => {
  api = await startAdminApi({ tokens: [all, reader] });
});
afterAll(() => api?.stop());

interface Document {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, { operationId: string; security: Record<string, string[]>[]; responses: Record<string, unknown> }>>;
  components: { securitySchemes: Record<string, { type: string; scheme: string }> };
}

test('the document validates as OpenAPI 3.1', async () => {
  const reply = await api.call('GET', '/openapi.json');
  expect(reply.status).toBe(200);
  expect(reply.headers['content-type']).toBe('application/json');
  expect(reply.headers['cache-control']).toBe('no-store');
  const validator = new Validator();
  const result = await validator.validate(reply.json as Record<string, unknown>);
  expect(result.errors).toBeUndefined();
  expect(result.valid).toBe(true);
  expect(validator.version).toBe('3.1');
});

test('every operation of the table is in the document, with its scope and bearer security', async () => {
  const doc = (await api.call('GET', '/openapi.json')).json as Document;
  expect(doc.servers).toEqual([{ url: '/admin' }]);
  expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  const listed = Object.values(doc.paths).flatMap((item) => Object.values(item));
  expect(listed.map((operation) => operation.operationId).sort()).toEqual(adminOperations.map((operation) => operation.operationId).sort());
  for (const operation of adminOperations) {
    const documented = doc.paths[operation.path]?.[operation.method.toLowerCase()];
    expect(documented?.security).toEqual([{ bearer: [operation.scope] }]);
    expect(documented?.responses['401']).toBeDefined();
  }
});

test('the document needs a token, of any scope', async () => {
  const none = await api.call('GET', '/openapi.json', { token: null });
  expect(none.status).toBe(401);
  expect(errorCode(none)).toBe('missing-token');
  expect((await api.call('GET', '/openapi.json', { token: reader.token })).status).toBe(200);
});
