import { afterAll, afterEach, beforeAll, expect, test } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger } from '../../server/log/index.js';
import { OutboundHttpClient } from '../../server/net/outbound-http.js';
import { generateSelfSigned } from '../../server/tls/index.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const logLines: string[] = [];
const logger = createLogger({
  level: 'debug',
  destination: new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(chunk.toString('utf8'));
      callback();
    },
  }),
});
let client: OutboundHttpClient;
const servers: Server[] = [];

beforeAll(() => {
  client = new OutboundHttpClient(logger);
});
afterAll(() => client.close());
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function serve(handler: Handler, server: Server = createServer(handler)): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return `${server instanceof HttpsServer ? 'https' : 'http'}://127.0.0.1:${port}`;
}

test('a 200 answer comes back with status, headers and body; Authorization is sent but never logged', async () => {
  let seen: IncomingMessage | undefined;
  const url = await serve((request, response) => {
    seen = request;
    response.setHeader('X-Answer', 'yes');
    response.end('{"ok":true}');
  });
  const result = await client.request({
    url: `${url}/roster/alice?token=query-secret`, timeoutMs: 2_000,
    headers: { Authorization: 'Bearer s3cr3t-value', Accept: 'application/json' },
  });
  expect(result).toMatchObject({ ok: true, status: 200, headers: { 'x-answer': 'yes' } });
  expect(result.ok && result.body.toString()).toBe('{"ok":true}');
  expect(seen?.headers.authorization).toBe('Bearer s3cr3t-value');
  expect(seen?.headers['user-agent']).toBe('Salon');
  const logged = logLines.join('');
  expect(logged).toContain('/roster/alice');
  expect(logged).not.toContain('s3cr3t');
  expect(logged).not.toContain('query-secret');
});

test('a server that accepts and never answers hits the total deadline', async () => {
  const url = await serve(() => undefined);
  const started = Date.now();
  const result = await client.request({ url, timeoutMs: 300 });
  expect(result).toEqual({ ok: false, reason: 'timeout', detail: 'deadline exceeded' });
  expect(Date.now() - started).toBeLessThan(2_000);
});

test('the deadline covers the body: a response that stalls half-way times out', async () => {
  const url = await serve((_request, response) => {
    response.writeHead(200, { 'Content-Length': '100' });
    response.write('only part');
  });
  expect(await client.request({ url, timeoutMs: 300 })).toMatchObject({ ok: false, reason: 'timeout' });
});

test('a redirect is returned as it is, never followed', async () => {
  let followed = false;
  const url = await serve((request, response) => {
    if (request.url === '/target') followed = true;
    response.writeHead(302, { Location: '/target' }).end();
  });
  const result = await client.request({ url: `${url}/start`, timeoutMs: 2_000 });
  expect(result).toMatchObject({ ok: true, status: 302, headers: { location: '/target' } });
  expect(followed).toBe(false);
});

test('a body over the limit is a failure, announced or chunked', async () => {
  const big = Buffer.alloc(1024 * 1024 + 1, 0x61);
  const announced = await serve((_request, response) => response.end(big));
  expect(await client.request({ url: announced, timeoutMs: 2_000 })).toMatchObject({ ok: false, reason: 'too-large' });
  const chunked = await serve((_request, response) => {
    for (let i = 0; i < 10; i++) response.write(Buffer.alloc(200, 0x61));
    response.end();
  });
  expect(await client.request({ url: chunked, timeoutMs: 2_000, maxBytes: 1000 })).toMatchObject({ ok: false, reason: 'too-large' });
  expect(await client.request({ url: chunked, timeoutMs: 2_000, maxBytes: 2000 })).toMatchObject({ ok: true, status: 200 });
});

test('a refused connection and a bad URL are typed failures', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const refused = await client.request({ url: `http://127.0.0.1:${port}/`, timeoutMs: 2_000 });
  expect(refused).toMatchObject({ ok: false, reason: 'network' });
  expect(!refused.ok && refused.detail).toContain('ECONNREFUSED');
  for (const url of ['ftp://127.0.0.1/', 'not a url', 'http://user:pass@127.0.0.1/']) {
    expect(await client.request({ url, timeoutMs: 2_000 })).toMatchObject({ ok: false, reason: 'invalid-url' });
  }
});

test('HTTPS to a self-signed server fails verification unless the request is insecure', async () => {
  const pair = await generateSelfSigned(['backend.example']);
  const url = await serve(() => undefined, createHttpsServer({ key: pair.key, cert: pair.cert }, (_request, response) => response.end('secret roster')));
  const verified = await client.request({ url, timeoutMs: 2_000 });
  expect(verified).toMatchObject({ ok: false, reason: 'tls' });
  const insecure = await client.request({ url, timeoutMs: 2_000, insecure: true });
  expect(insecure.ok && insecure.body.toString()).toBe('secret roster');
});

test('a closed client fails every request', async () => {
  const closing = new OutboundHttpClient(logger);
  await closing.close();
  expect(await closing.request({ url: 'http://127.0.0.1:9/', timeoutMs: 100 })).toMatchObject({ ok: false, reason: 'network' });
});

test('closing the client ends a request in flight without waiting for its deadline', async () => {
  const closing = new OutboundHttpClient(logger);
  let arrived!: () => void;
  const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
  const url = await serve(() => arrived());
  const pending = closing.request({ url, timeoutMs: 10_000 });
  await requestArrived;
  const started = Date.now();
  await closing.close();
  expect(await pending).toMatchObject({ ok: false, reason: 'network' });
  expect(Date.now() - started).toBeLessThan(2_000);
});

test.each([301, 303, 307, 308])('a %i answer to a POST is returned with its Location, never followed', async (status) => {
  const paths: string[] = [];
  const url = await serve((request, response) => {
    paths.push(`${request.method} ${request.url}`);
    request.resume();
    request.on('end', () => response.writeHead(status, { Location: '/elsewhere' }).end('moved'));
  });
  const result = await client.request({ url: `${url}/hook`, method: 'post', body: '{}', timeoutMs: 2_000 });
  expect(result).toMatchObject({ ok: true, status, headers: { location: '/elsewhere' } });
  expect(result.ok && result.body.toString()).toBe('moved');
  expect(paths).toEqual(['POST /hook']);
});

test('repeated response headers come back once, lower-case, their values joined with a comma', async () => {
  const url = await serve((_request, response) => {
    response.setHeader('Set-Cookie', ['a=1', 'b=2']);
    response.setHeader('X-Trace', ['one', 'two', 'three']);
    response.setHeader('X-Single', 'alone');
    response.end();
  });
  const result = await client.request({ url, timeoutMs: 2_000 });
  expect(result.ok && result.headers).toMatchObject({ 'set-cookie': 'a=1, b=2', 'x-trace': 'one, two, three', 'x-single': 'alone' });
  expect(result.ok && result.body.length).toBe(0);
});

test('a body is sent as given; a text body without a type is labelled text/plain; a given User-Agent is kept', async () => {
  const seen: { headers: IncomingMessage['headers']; body: string }[] = [];
  const url = await serve((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      seen.push({ headers: request.headers, body: Buffer.concat(chunks).toString() });
      response.writeHead(204).end();
    });
  });
  const bytes = new TextEncoder().encode('{"bytes":"é"}');
  expect(await client.request({ url, method: 'PUT', body: bytes, headers: { 'Content-Type': 'application/json' }, timeoutMs: 2_000 }))
    .toMatchObject({ ok: true, status: 204 });
  expect(await client.request({ url, method: 'POST', body: 'plain words', headers: { 'user-agent': 'Backend-Probe/2' }, timeoutMs: 2_000 }))
    .toMatchObject({ ok: true, status: 204 });
  expect(seen[0]).toMatchObject({ body: '{"bytes":"é"}', headers: { 'content-type': 'application/json', 'content-length': String(bytes.byteLength), 'user-agent': 'Salon' } });
  expect(seen[1]).toMatchObject({ body: 'plain words', headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': 'Backend-Probe/2' } });
});

test('successive requests to one server reuse kept-alive connections', async () => {
  let connections = 0;
  const server = createServer((_request, response) => response.end('ok'));
  server.on('connection', () => connections++);
  const url = await serve(() => undefined, server);
  for (let i = 0; i < 6; i++) expect(await client.request({ url, timeoutMs: 2_000 })).toMatchObject({ ok: true, status: 200 });
  // The pool may open a second connection while the first is being handed back; never one each.
  expect(connections).toBeLessThanOrEqual(2);
});

/** A server whose answer never ends, and a promise of its connection being closed by the client. */
async function endlessBody(head: Record<string, string>): Promise<{ url: string; closed: Promise<void>; written: () => number }> {
  let written = 0;
  let closedByClient!: () => void;
  const closed = new Promise<void>((resolve) => (closedByClient = resolve));
  const url = await serve((request, response) => {
    request.socket.on('close', () => closedByClient());
    response.writeHead(200, head);
    const timer = setInterval(() => {
      if (!response.writableNeedDrain) written += 500;
      response.write(Buffer.alloc(500, 0x61));
    }, 5);
    response.on('close', () => clearInterval(timer));
  });
  return { url, closed, written: () => written };
}

test('a body announced over the limit is refused at once, unread, and its connection closed', async () => {
  const server = await endlessBody({ 'Content-Length': String(50 * 1024 * 1024) });
  const started = Date.now();
  expect(await client.request({ url: server.url, timeoutMs: 5_000, maxBytes: 10_000 })).toEqual({
    ok: false, reason: 'too-large', detail: 'response body over 10000 bytes',
  });
  await server.closed;
  expect(Date.now() - started).toBeLessThan(1_000);
  expect(server.written()).toBeLessThan(10_000);
});

test('a body that streams past the limit stops there and its connection is closed', async () => {
  const server = await endlessBody({});
  const started = Date.now();
  expect(await client.request({ url: server.url, timeoutMs: 5_000, maxBytes: 3_000 })).toMatchObject({ ok: false, reason: 'too-large' });
  await server.closed;
  expect(Date.now() - started).toBeLessThan(2_000);
  expect(await client.request({ url: `${server.url}/again`, timeoutMs: 200, maxBytes: 3_000 })).toMatchObject({ ok: false });
});

test('observers see each finished request by purpose, method and outcome, and stop when removed', async () => {
  const observing = new OutboundHttpClient(logger);
  const seen: { purpose: string; method: string; outcome: string; seconds: number }[] = [];
  const stop = observing.observe((observation) => seen.push(observation));
  const url = await serve((request, response) => {
    if (request.url === '/slow') return;
    response.writeHead(503).end();
  });
  await observing.request({ url, timeoutMs: 2_000, purpose: 'http_roster_admin' });
  await observing.request({ url: `${url}/slow`, method: 'post', timeoutMs: 100 });
  stop();
  await observing.request({ url, timeoutMs: 2_000 });
  await observing.close();
  expect(seen.map(({ purpose, method, outcome }) => ({ purpose, method, outcome }))).toEqual([
    { purpose: 'http_roster_admin', method: 'GET', outcome: '503' },
    { purpose: 'unnamed', method: 'POST', outcome: 'timeout' },
  ]);
  expect(seen[1]!.seconds).toBeGreaterThanOrEqual(0.09);
});
