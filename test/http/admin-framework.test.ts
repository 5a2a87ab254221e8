/**
 * http_admin_api, the framework over real HTTP: bearer tokens and scopes decided before the body
 * is read, JSON errors with stable codes, body limits, content types, no CORS, no caching, and
 * the API relocated by http_paths.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { send, sendHeaderLines } from '../helpers/http-request.js';
import { ADMIN_SCOPE_LIST, adminCall, errorCode, startAdminApi, testToken, type AdminApi } from '../helpers/admin-api.js';

const MAX_BODY = 2048;
let api: AdminApi;
const all = testToken('all', ADMIN_SCOPE_LIST);
const reader = testToken('reader', ['users:read']);

beforeAll(async () => {
  api = await startAdminApi({ tokens: [all, reader], hostOptions: { http_admin_api_max_body: MAX_BODY } });
});
afterAll(() => api?.stop());

/**
 * Sends a request head announcing `length` body bytes and only `sent` of them, and resolves with
 * the status line: an answer proves the server decided without waiting for the rest of the body.
 */
function answerWithoutBody(path: string, headers: Record<string, string>, length: number, sent: string): Promise<string> {
  const { port, hostname } = new URL(api.httpUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no answer: the server waited for the body'));
    }, 3000);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n');
      if (end !== -1) {
        clearTimeout(timer);
        socket.destroy();
        resolve(received.slice(0, end));
      }
    });
    socket.on('error', reject);
    const lines = Object.entries({ Host: 'localhost', 'Content-Type': 'application/json', ...headers, 'Content-Length': String(length) })
      .map(([name, value]) => `${name}: ${value}\r\n`).join('');
    socket.write(`PUT /admin${path} HTTP/1.1\r\n${lines}\r\n${sent}`);
  });
}

test('no token: 401 missing-token with WWW-Authenticate: Bearer; a wrong token: 401 invalid-token', async () => {
  const none = await api.call('GET', '/users', { token: null });
  expect(none.status).toBe(401);
  expect(errorCode(none)).toBe('missing-token');
  expect(none.headers['www-authenticate']).toMatch(/^Bearer realm="salon-admin"/);
  const wrong = await api.call('GET', '/users', { token: `${all.token}x` });
  expect(wrong.status).toBe(401);
  expect(errorCode(wrong)).toBe('invalid-token');
  expect(wrong.headers['www-authenticate']).toContain('error="invalid_token"');
  const basic = await api.call('GET', '/users', { token: null, headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } });
  expect(errorCode(basic)).toBe('invalid-token');
  // RFC 9110 §11.1: the scheme is case-insensitive.
  expect((await api.call('GET', '/users', { token: null, headers: { authorization: `bearer ${all.token}` } })).status).toBe(200);
});

test('an unauthenticated request is refused before its body is read; unknown paths are not revealed', async () => {
  expect(await answerWithoutBody('/users/zed', {}, 10_000_000, '{"pass')).toBe('HTTP/1.1 401 Unauthorized');
  const unknown = await api.call('GET', '/no-such-thing', { token: null });
  expect(unknown.status).toBe(401);
});

test('two Authorization headers: 400 repeated-authorization, even when the first is valid', async () => {
  const reply = await sendHeaderLines(`${api.httpUrl}/admin/users`, 'GET', [
    'Host', 'localhost', 'Authorization', `Bearer ${all.token}`, 'Authorization', 'Bearer nothing',
  ]);
  expect(reply.status).toBe(400);
  expect(JSON.parse(reply.body)).toMatchObject({ error: { code: 'repeated-authorization' } });
});

test('a token without the scope: 403 insufficient-scope naming it, before the body is read', async () => {
  const reply = await api.call('PUT', '/users/zed', { token: reader.token, body: { password: 'x' } });
  expect(reply.status).toBe(403);
  expect(reply.json).toEqual({ error: { code: 'insufficient-scope', message: expect.stringContaining('users:write'), details: { scope: 'users:write' } } });
  expect(reply.headers['www-authenticate']).toContain('scope="users:write"');
  expect(await answerWithoutBody('/users/zed', { Authorization: `Bearer ${reader.token}` }, 1000, '{')).toBe('HTTP/1.1 403 Forbidden');
  expect((await api.call('GET', '/users', { token: reader.token })).status).toBe(200);
});

test('unknown path 404 not-found; wrong method 405 method-not-allowed with Allow; bad escape 400', async () => {
  const unknown = await api.call('GET', '/nothing/here');
  expect(unknown.status).toBe(404);
  expect(errorCode(unknown)).toBe('not-found');
  const method = await api.call('POST', '/users/alice', { body: {} });
  expect(method.status).toBe(405);
  expect(errorCode(method)).toBe('method-not-allowed');
  expect(method.headers.allow?.split(', ').sort()).toEqual(['DELETE', 'PUT']);
  const escape = await api.call('GET', '/users/%zz/sessions');
  expect(escape.status).toBe(400);
  expect(errorCode(escape)).toBe('malformed-path');
});

test('an encoded slash stays inside one path parameter', async () => {
  const reply = await api.call('GET', `/users/${encodeURIComponent('a/b')}/sessions`);
  expect(reply.status).toBe(400);
  expect(errorCode(reply)).toBe('invalid-username');
});

test('bodies: 415 for a non-JSON type, 400 malformed-json, 413 body-too-large announced or chunked', async () => {
  const text = await api.call('PUT', '/users/zed', { rawBody: 'password=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  expect(text.status).toBe(415);
  expect(errorCode(text)).toBe('unsupported-media-type');
  const noType = await api.call('PUT', '/users/zed', { rawBody: '{"password":"x"}' });
  expect(errorCode(noType)).toBe('unsupported-media-type');
  const broken = await api.call('PUT', '/users/zed', { rawBody: '{"password":', headers: { 'content-type': 'application/json; charset=utf-8' } });
  expect(broken.status).toBe(400);
  expect(errorCode(broken)).toBe('malformed-json');
  const big = { password: 'x'.repeat(MAX_BODY) };
  const announced = await api.call('PUT', '/users/zed', { body: big });
  expect(announced.status).toBe(413);
  expect(announced.json).toMatchObject({ error: { code: 'body-too-large', details: { limit: MAX_BODY } } });
  expect(await answerWithoutBody('/users/zed', { Authorization: `Bearer ${all.token}` }, MAX_BODY + 1, '{')).toBe('HTTP/1.1 413 Payload Too Large');
  const chunked = await send(`${api.httpUrl}/admin/users/zed`, {
    method: 'PUT', host: 'localhost', headers: { authorization: `Bearer ${all.token}`, 'content-type': 'application/json' },
    chunks: [Buffer.from(JSON.stringify(big).slice(0, 1500)), Buffer.from(JSON.stringify(big).slice(1500))],
  });
  expect(chunked.status).toBe(413);
  expect(JSON.parse(chunked.body)).toMatchObject({ error: { code: 'body-too-large' } });
  // A body of exactly the limit is accepted.
  const items = Array.from({ length: 60 }, (_, index) => ({ jid: `contact${index}@example.org` }));
  const padding = MAX_BODY - JSON.stringify({ items: [...items, { jid: 'x@example.org', name: '' }] }).length;
  const exact = { items: [...items, { jid: 'x@example.org', name: 'n'.repeat(padding) }] };
  expect(JSON.stringify(exact).length).toBe(MAX_BODY);
  expect((await api.call('PUT', '/users/alice/roster', { body: exact })).status).toBe(200);
});

test('no CORS: a pre-flight gets a JSON 405 without Access-Control headers; answers are never cached', async () => {
  const preflight = await send(`${api.httpUrl}/admin/users`, {
    method: 'OPTIONS', host: 'localhost',
    headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
  });
  expect(preflight.status).toBe(405);
  expect(JSON.parse(preflight.body)).toMatchObject({ error: { code: 'method-not-allowed' } });
  expect(Object.keys(preflight.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  expect(preflight.headers['cache-control']).toBe('no-store');
  const cross = await api.call('GET', '/users', { headers: { origin: 'https://evil.example' } });
  expect(cross.status).toBe(200);
  expect(Object.keys(cross.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  for (const reply of [cross, await api.call('GET', '/users', { token: null }), await api.call('GET', '/nothing')]) {
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers['content-type']).toBe('application/json');
  }
});

test('http_paths relocates the API; a public plain-HTTP listener is warned about', async () => {
  const token = testToken('t', ['users:read']);
  const moved = await startAdminApi({ tokens: [token], globals: { http_paths: { admin: '/ops' }, http_interfaces: ['0.0.0.0'] } });
  try {
    expect(moved.base).toBe('/ops');
    expect((await moved.call('GET', '/users')).status).toBe(200);
    const old = await adminCall(`${moved.httpUrl}/admin/users`, 'GET', { token: token.token });
    expect(old.status).toBe(404);
    const doc = (await moved.call('GET', '/openapi.json')).json as { servers: { url: string }[] };
    expect(doc.servers).toEqual([{ url: '/ops' }]);
    expect(moved.server.logs.some((line) => String(line.msg).includes('reachable over plain HTTP on a non-loopback interface'))).toBe(true);
  } finally {
    await moved.stop();
  }
  expect(api.server.logs.some((line) => String(line.msg).includes('reachable over plain HTTP'))).toBe(false);
});
