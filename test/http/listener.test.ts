import { afterEach, describe, expect, test } from '@jest/globals';
import { connect, type Socket } from 'node:net';
import { httpServiceKey, type HttpRoutes } from '../../http/index.js';
import { coreOf } from '../../server/core/index.js';
import { generateSelfSigned } from '../../server/tls/index.js';
import { jsonOf, send } from '../helpers/http-request.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

function routes(running: TestServer): HttpRoutes {
  return coreOf(running).services.get('localhost', httpServiceKey)!;
}

/** A raw connection to a listener, collecting everything it receives. */
async function rawConnection(baseUrl: string): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect({ host: hostname, port: Number(port) });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let data = '';
  socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, received: () => data, closed };
}

async function until(condition: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('probes', () => {
  test('/health and /ready answer JSON on any Host; other methods are a 405', async () => {
    server = await startTestServer();
    const health = await send(`${server.httpUrl!}/health`, { host: 'whatever.example' });
    expect([health.status, health.headers['content-type'], jsonOf(health)]).toEqual([200, 'application/json', { status: 'ok' }]);
    const ready = await send(`${server.httpUrl!}/ready`);
    expect([ready.status, jsonOf(ready)]).toEqual([200, { status: 'ready' }]);
    const post = await send(`${server.httpUrl!}/health`, { method: 'POST', body: '' });
    expect([post.status, post.headers.allow, jsonOf(post)]).toEqual([405, 'GET, HEAD', { error: 'Method not allowed' }]);
  });
});

describe('HTTPS', () => {
  test('serves the host certificate and marks requests secure', async () => {
    server = await startTestServer();
    routes(server).addRoute({ method: 'GET', path: '/secure', handler: (r) => Promise.resolve({ status: 200, json: { secure: r.secure } }) });
    const reply = await send(`${server.httpsUrl!}/secure`, { host: 'localhost', ca: server.certificate! });
    expect([reply.status, jsonOf(reply)]).toEqual([200, { secure: true }]);
    const plain = await send(`${server.httpUrl!}/secure`, { host: 'localhost' });
    expect(jsonOf(plain)).toEqual({ secure: false });
    const stranger = await generateSelfSigned(['other.example']);
    await expect(send(`${server.httpsUrl!}/secure`, { host: 'localhost', ca: stranger.cert })).rejects.toThrow(/self.signed|unable to verify/i);
  });
});

describe('malformed and oversized requests', () => {
  test('a request Node cannot parse gets a JSON 400 and the connection is closed', async () => {
    server = await startTestServer({ globals: { https_ports: [] } });
    const raw = await rawConnection(server.httpUrl!);
    raw.socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\nBroken header line\r\n\r\n');
    await raw.closed;
    expect(raw.received()).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(raw.received()).toContain('Content-Type: application/json');
    expect(raw.received().endsWith('{"error":"Bad Request"}')).toBe(true);
  });

  test('a body announced far over the limit is refused at once and the connection closed', async () => {
    server = await startTestServer({ globals: { https_ports: [] } });
    routes(server).addRoute({ method: 'POST', path: '/small', bodyLimit: 10, handler: () => Promise.resolve({ status: 200 }) });
    const raw = await rawConnection(server.httpUrl!);
    raw.socket.write('POST /small HTTP/1.1\r\nHost: localhost\r\nContent-Length: 50000000\r\n\r\nabc');
    await until(() => raw.received().includes('Request body too large'), 'the 413');
    expect(raw.received()).toMatch(/^HTTP\/1\.1 413 /);
    expect(raw.received().toLowerCase()).toContain('connection: close');
    raw.socket.destroy();
  });

  test('an empty successful answer has no body and no content type', async () => {
    server = await startTestServer({ globals: { https_ports: [] } });
    routes(server).addRoute({ method: 'POST', path: '/empty', handler: () => Promise.resolve({ status: 200 }) });
    const reply = await send(`${server.httpUrl!}/empty`, { method: 'POST', host: 'localhost', body: '{}' });
    expect([reply.status, reply.body, reply.headers['content-type'], reply.headers['content-length']]).toEqual([200, '', undefined, '0']);
  });
});

describe('connections', () => {
  test('stop() closes kept-alive and half-sent connections', async () => {
    server = await startTestServer();
    const idle = await rawConnection(server.httpUrl!);
    idle.socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await until(() => idle.received().includes('{"status":"ok"}'), 'the health answer');
    const halfSent = await rawConnection(server.httpUrl!);
    halfSent.socket.write('POST /health HTTP/1.1\r\nHost: local');
    const stopping = server.stop();
    await Promise.all([idle.closed, halfSent.closed, stopping]);
    expect(idle.socket.destroyed && halfSent.socket.destroyed).toBe(true);
  });

  test('an IPv6 interface the machine does not have is skipped with a debug line', async () => {
    server = await startTestServer({ globals: { https_ports: [], http_interfaces: ['2001:db8::5a', '127.0.0.1'] } });
    expect(server.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await send(`${server.httpUrl!}/health`)).status).toBe(200);
    const skipped = server.logs.find((line) => line.interface === '2001:db8::5a');
    expect(skipped).toMatchObject({ level: 20, code: 'EADDRNOTAVAIL' });
  });

  test('connections beyond http_max_connections are refused', async () => {
    server = await startTestServer({ globals: { https_ports: [], http_max_connections: 1 } });
    const first = await rawConnection(server.httpUrl!);
    first.socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await until(() => first.received().includes('{"status":"ok"}'), 'the first answer');
    const second = await rawConnection(server.httpUrl!);
    second.socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await second.closed;
    expect(second.received()).toBe('');
    first.socket.destroy();
    await first.closed;
    // The server frees the slot when it sees the close, a moment after the client does.
    let status: number | undefined;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      status = await send(`${server.httpUrl!}/health`).then((reply) => reply.status, () => undefined);
    }
    expect(status).toBe(200);
  });

  test('an upgrade goes to the handler registered for its path; other paths are refused', async () => {
    server = await startTestServer({ globals: { https_ports: [] } });
    routes(server).upgrade({
      path: '/echo',
      handler: ({ socket, host }) => {
        socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\nX-Host: ${host}\r\n\r\n`);
        socket.pipe(socket);
      },
    });
    const upgrading = 'HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n';
    const echo = await rawConnection(server.httpUrl!);
    echo.socket.write(`GET /echo?x=1 ${upgrading}`);
    await until(() => echo.received().includes('\r\n\r\n'), 'the 101');
    expect(echo.received()).toContain('X-Host: localhost');
    echo.socket.write('ping');
    await until(() => echo.received().endsWith('ping'), 'the echo');
    echo.socket.destroy();
    const refused = await rawConnection(server.httpUrl!);
    refused.socket.write(`GET /other ${upgrading}`);
    await refused.closed;
    expect(refused.received()).toMatch(/^HTTP\/1\.1 404 Not Found\r\n[^]*\{"error":"Not found"\}$/);
  });
});
