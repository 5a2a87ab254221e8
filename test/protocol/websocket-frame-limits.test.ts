/**
 * WebSocket frames before authentication (issue 14, finding 7): a frame whose header announces
 * more than twice the pre-authentication stanza limit (`c2s_unauthed_stanza_size_limit`, 10,000
 * bytes shipped) is refused as soon as its header arrives (close code 1009, RFC 6455 §7.4.1),
 * instead of being buffered up to the authenticated bound; after authentication the bound is the
 * authenticated one again.
 */
import { afterEach, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { deadline } from '../helpers/partial-request.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { WsClient, wsLogin } from '../helpers/ws-client.js';

let server: TestServer | undefined;
let socket: Socket | undefined;
let client: WsClient | undefined;
afterEach(async () => {
  socket?.destroy();
  client?.stop();
  await server?.stop();
  server = socket = client = undefined;
});

/** Opens a WebSocket by hand; resolves with the socket and every byte after the 101 head. */
async function handshake(url: string): Promise<{ socket: Socket; after: () => Buffer }> {
  const { hostname, port, pathname } = new URL(url);
  const raw = connect({ host: hostname, port: Number(port) });
  raw.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => raw.once('connect', resolve).once('error', reject));
  let data = Buffer.alloc(0);
  let headEnd = -1;
  const upgraded = new Promise<void>((resolve, reject) => {
    raw.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (headEnd !== -1) return;
      headEnd = data.indexOf('\r\n\r\n');
      if (headEnd === -1) return;
      if (!data.subarray(0, 12).toString('latin1').includes(' 101')) reject(new Error(data.toString('latin1')));
      resolve();
    });
  });
  raw.write(`GET ${pathname} HTTP/1.1\r\nHost: localhost:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: xmpp\r\n\r\n`);
  await upgraded;
  return { socket: raw, after: () => data.subarray(headEnd + 4) };
}

/** The head of a masked text frame announcing `length` payload bytes (RFC 6455 §5.2), with a zero mask. */
function frameHead(length: number): Buffer {
  const head = Buffer.alloc(14);
  head[0] = 0x81; // FIN, text
  head[1] = 0x80 | 127; // masked, 64-bit length
  head.writeBigUInt64BE(BigInt(length), 2);
  return head; // mask key 0: the payload goes as written
}

test('shipped limit: a frame announcing 400 KB before authentication is closed with 1009 before its payload arrives', async () => {
  server = await startTestServer();
  const opened = await handshake(server.websocketUrl!);
  socket = opened.socket;
  const closeFrame = new Promise<Buffer>((resolve) => {
    const check = (): void => {
      const bytes = opened.after();
      if (bytes.length >= 4 && bytes[0] === 0x88) resolve(bytes);
    };
    socket!.on('data', check);
    check();
  });
  socket.write(Buffer.concat([frameHead(400_000), Buffer.alloc(1_000, 0x20)]));
  const frame = await Promise.race([closeFrame, deadline(3_000, 'the close frame for an oversized message')]);
  expect(frame.readUInt16BE(2)).toBe(1009);
});

test('a message between the limit and twice it reaches the parser: policy-violation stream error', async () => {
  server = await startTestServer();
  client = await WsClient.connect(server.websocketUrl!);
  client.openStream('localhost');
  await client.waitFor((el) => el.name === 'stream:features');
  client.send(`<message xmlns='jabber:client' to='bob@localhost'><body>${'x'.repeat(15_000)}</body></message>`);
  await client.waitFor((el) => el.name === 'stream:error');
  expect(client.streamErrorCondition()).toBe('policy-violation');
});

test('once authenticated, a client sends stanzas far past the pre-auth bound', async () => {
  server = await startTestServer();
  client = await wsLogin(server.websocketUrl!, 'alice@localhost', 'alice-secret');
  // 100 KB: ten times the pre-authentication limit, well within the authenticated 256 KiB.
  const big = 'x'.repeat(100_000);
  const seen = client.received.length;
  client.send(`<message xmlns='jabber:client' to='alice@localhost/ws' id='big'><body>${big}</body></message>`);
  const echoed = await client.waitFor((el) => el.name === 'message' && el.attrs.id === 'big', 3_000, seen);
  expect(echoed.getChildText('body')).toBe(big);
});
