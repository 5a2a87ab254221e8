/**
 * `trusted_proxies` (Prosody's option, default loopback): WebSocket and BOSH streams take the
 * client address from `X-Forwarded-For` only when the TCP peer is a trusted proxy, and then the
 * rightmost address of the chain that is not a trusted proxy. That address is what per-address
 * limits count; here the connection limit shows it, set to one connection per address
 * (`c2s_max_connections_per_ip` lowered from 100 so that the second connection of an address is
 * the one refused), and the stream's log lines name it.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { BOSH_NS, boshPost, XBOSH_NS } from '../helpers/bosh-client.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { HandshakeRefused, WsClient } from '../helpers/ws-client.js';

const open: WsClient[] = [];

afterAll(() => {
  for (const client of open.splice(0)) client.stop();
});

function wsUrlOf(server: TestServer): string {
  return `${server.httpUrl!.replace('http:', 'ws:')}/xmpp-websocket`;
}

/** Opens a WebSocket (kept open, holding its address's slot) and returns the handshake status. */
async function connect(server: TestServer, forwardedFor?: string): Promise<number> {
  try {
    const client = await WsClient.connect(wsUrlOf(server), forwardedFor === undefined ? {} : { headers: { 'X-Forwarded-For': forwardedFor } });
    open.push(client);
    return 101;
  } catch (error) {
    if (error instanceof HandshakeRefused) return error.status;
    throw error;
  }
}

/** Creates a BOSH session (kept open) and returns the HTTP status. */
async function boshSession(server: TestServer, forwardedFor: string): Promise<number> {
  const body = `<body xmlns='${BOSH_NS}' xmlns:xmpp='${XBOSH_NS}' content='text/xml; charset=utf-8' rid='7000' to='localhost' ` +
    `xml:lang='en' wait='10' hold='1' ver='1.11' xmpp:version='1.0'/>`;
  const reply = await boshPost(`${server.httpUrl!}/http-bind`, body, { headers: { 'X-Forwarded-For': forwardedFor } });
  return reply.status;
}

describe('the default: loopback is a trusted proxy', () => {
  let server: TestServer;

  beforeAll(async () => {
    // One connection per address, so the refused second connection shows which address counted.
    server = await startTestServer({ globals: { c2s_max_connections_per_ip: 1 } });
  });
  afterAll(() => server.stop());

  test('WebSocket: each forwarded client has its own count, and the log names it', async () => {
    expect(await connect(server, '203.0.113.1')).toBe(101);
    expect(await connect(server, '203.0.113.1')).toBe(503);
    expect(await connect(server, '203.0.113.2')).toBe(101);
    // No header: the peer itself (127.0.0.1) is the client.
    expect(await connect(server)).toBe(101);
    expect(server.logs.some((line) => line.msg === 'too many connections from one address' && line.remote === '203.0.113.1')).toBe(true);
  });

  test('the rightmost address that is not a trusted proxy wins; what the client wrote to its left is ignored', async () => {
    // 203.0.113.1 is taken: a spoofed first entry does not get the client a fresh count.
    expect(await connect(server, '198.51.100.7, 203.0.113.1')).toBe(503);
    // A trusted proxy (loopback) at the right end is skipped: the client is the next one left.
    expect(await connect(server, '203.0.113.3, 127.0.0.1')).toBe(101);
    expect(await connect(server, '203.0.113.3')).toBe(503);
    // A chain of trusted proxies only: its leftmost entry (127.0.0.2) is the client.
    expect(await connect(server, '127.0.0.2, ::1')).toBe(101);
    expect(await connect(server, '127.0.0.2')).toBe(503);
    // Not an address: the walk stops at the peer, whose slot is taken.
    expect(await connect(server, 'unknown')).toBe(503);
  });

  test('BOSH: the same address counts', async () => {
    expect(await boshSession(server, '203.0.113.20')).toBe(200);
    expect(await boshSession(server, '203.0.113.20')).toBe(403);
    expect(await boshSession(server, '203.0.113.21')).toBe(200);
  });
});

describe('a peer that is not a trusted proxy', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      globals: {
        // Loopback is trusted by default and these tests can only connect over loopback: an
        // explicit empty list makes the loopback peer an untrusted one, as a client on the network.
        trusted_proxies: [],
        // One connection per address, so the refused second connection shows which address counted.
        c2s_max_connections_per_ip: 1,
      },
    });
  });
  afterAll(() => server.stop());

  test('its X-Forwarded-For is ignored: every connection counts against the peer', async () => {
    expect(await connect(server, '203.0.113.1')).toBe(101);
    expect(await connect(server, '203.0.113.2')).toBe(503);
    expect(await connect(server)).toBe(503);
    expect(await boshSession(server, '203.0.113.3')).toBe(403);
    const refused = server.logs.filter((line) => line.msg === 'too many connections from one address');
    expect(refused.map((line) => line.remote)).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1']);
  });
});

describe('the shipped connection limit, per forwarded client', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  test('c2s_max_connections_per_ip = 100: the 101st WebSocket of one client is refused, another client still connects', async () => {
    const client = '203.0.113.50';
    for (let batch = 0; batch < 5; batch++) {
      const statuses = await Promise.all(Array.from({ length: 20 }, () => connect(server, client)));
      expect(statuses.every((status) => status === 101)).toBe(true);
    }
    expect(await connect(server, client)).toBe(503);
    expect(await connect(server, '203.0.113.51')).toBe(101);
  }, 30_000);
});
