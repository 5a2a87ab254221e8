import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Agent } from 'node:http';
import { httpServiceKey, type HttpRequest, type HttpRoutes } from '../../http/index.js';
import { ConfigValidationError, VirtualHost } from '../../salon.js';
import { coreOf } from '../../server/core/index.js';
import { jsonOf, send } from '../helpers/http-request.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const KICK_LIMIT = 64 * 1024;

function routesOf(server: TestServer, host: string): HttpRoutes {
  const routes = coreOf(server).services.get(host, httpServiceKey);
  if (routes === undefined) throw new Error(`no HTTP routes on ${host}`);
  return routes;
}

/** What a handler saw, echoed back. */
function echo(request: HttpRequest): Promise<{ status: number; json: unknown }> {
  return Promise.resolve({
    status: 200,
    json: {
      host: request.host, method: request.method, path: request.path, params: request.params,
      query: request.query, bodyLength: request.body.length, secret: request.headers['x-secret'] ?? null,
    },
  });
}

const rosterError = (message: string): unknown => ({ status: 'error', message });

describe('routes on a running server', () => {
  let server: TestServer;
  let url: string;

  beforeAll(async () => {
    server = await startTestServer({
      hosts: [
        VirtualHost('localhost'),
        VirtualHost('example.org', { http_host: 'api.example.org', http_paths: { kick: '/relocated' } }),
      ],
    });
    url = server.httpUrl!;
    const local = routesOf(server, 'localhost');
    local.addRoute({ method: 'POST', path: '/muc_kick', name: 'muc_kick', bodyLimit: KICK_LIMIT, handler: echo });
    local.addRoute({ method: 'POST', path: '/roster_admin/refresh', name: 'roster_admin', bodyLimit: 1024, errorBody: rosterError, handler: echo });
    local.addRoute({ method: 'GET', path: '/roster_admin/refresh/*', name: 'roster_admin', errorBody: rosterError, handler: echo });
    local.addRoute({ method: 'GET', path: '/crash', handler: () => Promise.reject(new Error('handler bug')) });
    routesOf(server, 'example.org').addRoute({ method: 'POST', path: '/kick', name: 'kick', handler: echo });
  });
  afterAll(() => server.stop());

  test('the Host header selects the XMPP host, port stripped and case-insensitively', async () => {
    const reply = await send(`${url}/muc_kick?a=1&b=two`, {
      method: 'POST', host: 'LocalHost:5280', body: '{}', headers: { 'X-Secret': 's', Authorization: 'Basic dG9wLXNlY3JldA==' },
    });
    expect(reply.status).toBe(200);
    expect(jsonOf(reply)).toEqual({
      host: 'localhost', method: 'POST', path: '/muc_kick', params: '', query: { a: '1', b: 'two' }, bodyLength: 2, secret: 's',
    });
    expect(server.logs.some((line) => line.msg === 'HTTP request' && line.path === '/muc_kick')).toBe(true);
    expect(JSON.stringify(server.logs)).not.toContain('dG9wLXNlY3JldA');
  });

  test('an unknown Host is a JSON 404 naming it; a host publishing under http_host answers only to that name', async () => {
    for (const [host, name] of [['nowhere.test', 'nowhere.test'], ['example.org:80', 'example.org'], ['[::1]:5280', '[::1]']]) {
      const reply = await send(`${url}/muc_kick`, { method: 'POST', host, body: '{}' });
      expect(reply.status).toBe(404);
      expect(reply.headers['content-type']).toBe('application/json');
      expect(jsonOf(reply)).toEqual({ error: `Unknown host: ${name}` });
    }
    const relocated = await send(`${url}/relocated`, { method: 'POST', host: 'api.example.org', body: '' });
    expect(jsonOf(relocated)).toMatchObject({ host: 'example.org', path: '/relocated' });
  });

  test('a known host without the route, a relocated default path and a trailing slash are JSON 404s', async () => {
    const cases: Array<[string, string]> = [
      ['api.example.org', '/muc_kick'], ['api.example.org', '/kick'], ['localhost', '/muc_kick/'], ['localhost', '/MUC_KICK'],
    ];
    for (const [host, path] of cases) {
      const reply = await send(`${url}${path}`, { method: 'POST', host, body: '{}' });
      expect([path, reply.status, jsonOf(reply)]).toEqual([path, 404, { error: 'Not found' }]);
    }
  });

  test('another method is a JSON 405 with Allow; a CORS pre-flight gets the same and no Access-Control headers', async () => {
    const get = await send(`${url}/muc_kick`, { host: 'localhost' });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    expect(jsonOf(get)).toEqual({ error: 'Method not allowed' });
    const preflight = await send(`${url}/muc_kick`, {
      method: 'OPTIONS', host: 'localhost',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(405);
    expect(preflight.headers['content-type']).toBe('application/json');
    expect(Object.keys(preflight.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    const rosterGet = await send(`${url}/roster_admin/refresh`, { host: 'localhost' });
    expect([rosterGet.status, rosterGet.headers.allow]).toEqual([405, 'POST']);
    expect(jsonOf(rosterGet)).toEqual({ status: 'error', message: 'Method not allowed' });
  });

  test('a body over the route limit is a 413, whether announced or chunked; the limit itself passes', async () => {
    const exact = await send(`${url}/muc_kick`, { method: 'POST', host: 'localhost', body: Buffer.alloc(KICK_LIMIT, 0x20) });
    expect(jsonOf(exact)).toMatchObject({ bodyLength: KICK_LIMIT });
    const announced = await send(`${url}/muc_kick`, { method: 'POST', host: 'localhost', body: Buffer.alloc(KICK_LIMIT + 1, 0x20) });
    expect([announced.status, jsonOf(announced)]).toEqual([413, { error: 'Request body too large' }]);
    const chunks = Array.from({ length: 20 }, () => Buffer.alloc(4096, 0x20));
    const chunked = await send(`${url}/muc_kick`, { method: 'POST', host: 'localhost', chunks });
    expect([chunked.status, jsonOf(chunked)]).toEqual([413, { error: 'Request body too large' }]);
    const roster = await send(`${url}/roster_admin/refresh`, { method: 'POST', host: 'localhost', body: Buffer.alloc(2048, 0x20) });
    expect([roster.status, jsonOf(roster)]).toEqual([413, { status: 'error', message: 'Request body too large' }]);
  });

  test('a crashing handler is a JSON 500, logged, and the kept-alive connection serves the next request', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const crash = await send(`${url}/crash`, { host: 'localhost', agent });
      expect([crash.status, jsonOf(crash)]).toEqual([500, { error: 'Internal server error' }]);
      const next = await send(`${url}/roster_admin/refresh/x`, { host: 'localhost', agent });
      expect([next.status, next.reused]).toEqual([200, true]);
    } finally {
      agent.destroy();
    }
    expect(server.logs.some((line) => line.msg === 'route handler failed' && line.route === '/crash')).toBe(true);
  });

  test('a prefix route receives the percent-decoded rest; a malformed escape is a 400 in the route shape', async () => {
    const decoded = await send(`${url}/roster_admin/refresh/J%C3%B6rg%2Fx`, { host: 'localhost' });
    expect(jsonOf(decoded)).toMatchObject({ params: 'Jörg/x', path: '/roster_admin/refresh/J%C3%B6rg%2Fx' });
    const empty = await send(`${url}/roster_admin/refresh/`, { host: 'localhost' });
    expect(jsonOf(empty)).toMatchObject({ params: '' });
    const malformed = await send(`${url}/roster_admin/refresh/%zz`, { host: 'localhost' });
    expect([malformed.status, jsonOf(malformed)]).toEqual([400, { status: 'error', message: 'Malformed percent-encoding in path' }]);
  });

  test('a disposed route is gone; a second route on the same method and path is refused', async () => {
    const local = routesOf(server, 'localhost');
    const dispose = local.addRoute({ method: 'PUT', path: '/temporary', handler: echo });
    expect(() => local.addRoute({ methods: ['PUT', 'POST'], path: '/temporary', handler: echo })).toThrow('PUT /temporary is already served');
    expect((await send(`${url}/temporary`, { method: 'PUT', host: 'localhost', body: '' })).status).toBe(200);
    dispose();
    expect((await send(`${url}/temporary`, { method: 'PUT', host: 'localhost', body: '' })).status).toBe(404);
  });

  test('routes are logged at info with the URLs that reach them', () => {
    const line = server.logs.find((l) => l.level === 30 && l.path === '/relocated');
    expect(line?.host).toBe('example.org');
    expect(line?.urls).toEqual(expect.arrayContaining([`http://api.example.org:${new URL(url).port}/relocated`]));
  });
});

describe('http_default_host', () => {
  test('an unknown Host falls back to the default host', async () => {
    const server = await startTestServer({ globals: { http_default_host: 'localhost', https_ports: [] } });
    try {
      routesOf(server, 'localhost').addRoute({ method: 'GET', path: '/who', handler: echo });
      const reply = await send(`${server.httpUrl!}/who`, { host: 'unknown.example:5280' });
      expect(jsonOf(reply)).toMatchObject({ host: 'localhost' });
    } finally {
      await server.stop();
    }
  });

  test('a default host that is not a host of the server stops start-up, naming the option', async () => {
    const failure = await startTestServer({ globals: { http_default_host: 'elsewhere.example' } }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigValidationError);
    expect((failure as ConfigValidationError).errors[0]).toMatchObject({ option: 'http_default_host' });
  });
});
