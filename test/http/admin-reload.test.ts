/**
 * http_admin_api on a config reload: a new token list applies at once (a rotated-out token stops
 * working, the new one works, the module is not reloaded); a new body limit waits for a restart.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { Component, VirtualHost } from '../../salon.js';
import { ADMIN_SCOPE_LIST, errorCode, startAdminApi, testToken, tokenEntry, type AdminApi, type TestToken } from '../helpers/admin-api.js';

let api: AdminApi;
const old = testToken('old', ADMIN_SCOPE_LIST);
const fresh = testToken('fresh', ['users:read']);

beforeAll(async () => {
  api = await startAdminApi({ tokens: [old] });
});
afterAll(() => api?.stop());

/** The config `startAdminApi` started with, with other tokens and host options. */
function configWith(tokens: readonly TestToken[], hostOptions: Record<string, unknown> = {}) {
  return {
    c2s_ports: [0], c2s_direct_tls_ports: [0], c2s_interfaces: ['127.0.0.1'], http_ports: [0], https_ports: [0],
    http_interfaces: ['127.0.0.1'], https_interfaces: ['127.0.0.1'], sasl_iterations: 4096,
    hosts: [
      VirtualHost('localhost', { modules_enabled: ['http_admin_api'], http_admin_api_tokens: tokens.map(tokenEntry), ...hostOptions }),
      Component('conference.localhost', 'muc'),
    ],
  };
}

test('rotating tokens applies in place; the body limit needs a restart', async () => {
  const sessions = await api.call('GET', '/users/alice/sessions');
  expect(sessions.status).toBe(200);
  const report = await api.server.reload(configWith([fresh], { http_admin_api_max_body: 4096 }));
  expect(report.ok).toBe(true);
  expect(report.applied.join('\n')).toMatch(/http_admin_api/);
  expect(report.needsRestart.join('\n')).toMatch(/http_admin_api_max_body/);
  expect(errorCode(await api.call('GET', '/users', { token: old.token }))).toBe('invalid-token');
  expect((await api.call('GET', '/users', { token: fresh.token })).status).toBe(200);
  expect(errorCode(await api.call('PUT', '/users/zed', { token: fresh.token, body: { password: 'x' } }))).toBe('insufficient-scope');
  expect(api.server.logs.filter((line) => line.msg === 'admin API served')).toHaveLength(1);
});
