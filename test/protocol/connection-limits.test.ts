/**
 * Connection limits (issue 14, finding 5): per-address caps on the client listeners and on HTTP
 * count one client once whatever listener it reaches (IPv4-mapped addresses as IPv4), the HTTP
 * listener has its own per-address cap (`http_max_connections_per_ip`), and the server as a whole
 * refuses streams past `c2s_max_connections` with the RFC 6120 resource-constraint stream error.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { connect, type Socket } from 'node:net';
import { coreOptions } from '../../server/config/index.js';
import { coreOf } from '../../server/core/index.js';
import { deadline, sendPartial } from '../helpers/partial-request.js';
import { RawClient } from '../helpers/raw-client.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { HandshakeRefused, WsClient } from '../helpers/ws-client.js';

let server: TestServer | undefined;
const sockets: Socket[] = [];
const clients: (RawClient | WsClient)[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const client of clients.splice(0)) client instanceof RawClient ? client.close() : client.stop();
  await server?.stop();
  server = undefined;
});

/** A stream that got its features: the server has accepted and counted the connection. */
async function openStream(port: number): Promise<RawClient> {
  const client = await RawClient.connect(port);
  clients.push(client);
  client.openStream('localhost');
  await client.waitFor((el) => el.name === 'stream:features');
  return client;
}

/** A TCP connection to the HTTP listener; resolves once connected. */
async function httpSocket(baseUrl: string): Promise<{ socket: Socket; closed: Promise<void> }> {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect({ host: hostname, port: Number(port) });
  sockets.push(socket);
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return { socket, closed };
}

describe('http_max_connections_per_ip', () => {
  test('shipped value: 256 connections from one address are served, the 257th is cut', async () => {
    // 127.0.0.1 is a trusted proxy by default, and proxies are exempt: this client is not one.
    server = await startTestServer({ globals: { trusted_proxies: [] } });
    const held = [];
    for (let index = 0; index < 256; index++) held.push(await httpSocket(server.httpUrl!));
    const extra = await httpSocket(server.httpUrl!);
    await Promise.race([extra.closed, deadline(5_000, 'the 257th connection cut')]);
    // Every connection within the cap still gets answers, the last one included.
    const last = held.at(-1)!;
    const answered = new Promise<string>((resolve) => last.socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1'))));
    last.socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(await Promise.race([answered, deadline(3_000, 'an answer within the cap')])).toMatch(/^HTTP\/1\.1 200 /);
  });

  test('a trusted proxy (loopback by default) is exempt: all its clients share its address', async () => {
    // A cap of 2 shows the rule with three connections.
    server = await startTestServer({ globals: { http_max_connections_per_ip: 2 } });
    const proxied = [];
    for (let index = 0; index < 3; index++) proxied.push(await httpSocket(server.httpUrl!));
    const request = await sendPartial(server.httpUrl!, 'GET', '/health', { Host: 'localhost' }, '');
    expect((await Promise.race([request.answer, deadline(3_000, 'a fourth connection from the proxy')])).status).toBe(200);
    request.socket.destroy();
  });
});

describe('one budget per client address across listeners', () => {
  test('an IPv4 client on the dual-stack c2s listener (::ffff:127.0.0.1) and on HTTP (127.0.0.1) shares c2s_max_connections_per_ip', async () => {
    // Two slots show the sharing: one TCP stream and one WebSocket use them up.
    server = await startTestServer({ globals: { c2s_interfaces: ['*'], c2s_max_connections_per_ip: 2 } });
    expect(server.c2s?.host).toBe('::'); // dual-stack: IPv4 peers arrive IPv4-mapped
    await openStream(server.port);
    const url = server.websocketUrl!;
    clients.push(await WsClient.connect(url));
    const refused = await WsClient.connect(url).then((client) => {
      clients.push(client);
      return undefined;
    }, (error: unknown) => error);
    expect(refused).toBeInstanceOf(HandshakeRefused);
    expect((refused as HandshakeRefused).status).toBe(503);
  });
});

describe('c2s_max_connections', () => {
  test('past the cap a new stream gets resource-constraint (RFC 6120 §4.9.3.17), over TCP and WebSocket alike', async () => {
    // A cap of 2 instead of the shipped 10,000: the behaviour at the cap is what is tested.
    server = await startTestServer({ globals: { c2s_max_connections: 2 } });
    const first = await openStream(server.port);
    clients.push(await WsClient.connect(server.websocketUrl!));
    const third = await RawClient.connect(server.port);
    clients.push(third);
    third.openStream('localhost');
    expect(await third.streamError()).toBe('resource-constraint');
    await third.waitForClose();
    await expect(WsClient.connect(server.websocketUrl!)).rejects.toThrow(HandshakeRefused);
    // A slot given back is taken by the next client.
    first.close();
    await first.waitForClose().catch(() => undefined);
    const deadlineAt = Date.now() + 3_000;
    for (;;) {
      const next = await RawClient.connect(server.port);
      clients.push(next);
      next.openStream('localhost');
      const seen = await next.waitFor((el) => el.name === 'stream:features' || el.name === 'stream:error');
      if (seen.name === 'stream:features') break;
      // The server may not have seen the first socket close yet: try again until it has.
      if (Date.now() > deadlineAt) throw new Error('the freed slot was never given to a new client');
    }
  });

  test('shipped values: 100 streams from one address (c2s_max_connections_per_ip) all open under the 10,000 total', async () => {
    server = await startTestServer();
    expect(coreOptions(coreOf(server).config)).toMatchObject({ c2s_max_connections: 10_000, c2s_max_connections_per_ip: 100 });
    const opened = [];
    for (let index = 0; index < 100; index++) opened.push(openStream(server.port));
    await Promise.all(opened);
    const extra = await RawClient.connect(server.port);
    clients.push(extra);
    await extra.waitForClose();
  });
});
