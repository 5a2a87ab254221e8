/**
 * TLS session resumption with tickets (server/tls/ticket-keys.ts): a client that logs in again
 * with the session its previous connection got resumes it over STARTTLS on a real XMPP stream and
 * over Direct TLS, and gets a full handshake once the ticket's key has been retired for a period.
 */
import { afterEach, expect, test } from '@jest/globals';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

interface Login {
  resumed: boolean;
  /** The session to offer next time (the newest ticket received). */
  session: Buffer | undefined;
}

/** Reads until `pattern` appears in what arrived since the last call, or fails after 3 s. */
function reader(socket: Socket): (pattern: RegExp) => Promise<string> {
  let buffered = '';
  let wake: (() => void) | undefined;
  let closed = false;
  const onData = (chunk: Buffer): void => {
    buffered += chunk.toString('utf8');
    wake?.();
  };
  socket.on('data', onData);
  socket.once('close', () => ((closed = true), wake?.()));
  return async (pattern) => {
    const deadline = Date.now() + 3_000;
    for (;;) {
      const match = pattern.exec(buffered);
      if (match !== null) {
        buffered = buffered.slice(match.index + match[0].length);
        return match[0];
      }
      if (closed || Date.now() > deadline) throw new Error(`no ${pattern} in ${buffered}`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 100);
      });
    }
  };
}

const OPEN = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>";

/** SASL PLAIN (over TLS), resource binding; resolves when bound. */
async function authenticateAndBind(socket: TLSSocket): Promise<void> {
  const read = reader(socket);
  socket.write(OPEN);
  await read(/<\/stream:features>/);
  socket.write(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from('\0alice\0alice-secret').toString('base64')}</auth>`);
  await read(/<success[^>]*\/>|<success[\s\S]*?<\/success>/);
  socket.write(OPEN);
  await read(/<\/stream:features>/);
  socket.write("<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>");
  await read(/<jid>alice@localhost\/[^<]+<\/jid>/);
}

/**
 * A full handshake's TLS 1.3 tickets arrive after it: waits for one. A resumed session may get none
 * (OpenSSL sends new tickets only when the old one is due for renewal): the offered one is kept.
 */
async function finish(socket: TLSSocket, login: Login, offered: Buffer | undefined): Promise<Login> {
  if (login.session === undefined && !login.resumed) await new Promise<void>((resolve) => socket.once('session', () => resolve()));
  socket.destroy();
  return { resumed: login.resumed, session: login.session ?? offered };
}

/** A STARTTLS login (RFC 6120 §5) offering `session` from an earlier connection. */
async function starttlsLogin(port: number, session: Buffer | undefined): Promise<Login> {
  const plain = connectTcp({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => plain.once('connect', resolve).once('error', reject));
  const read = reader(plain);
  plain.write(OPEN);
  await read(/<\/stream:features>/);
  plain.write("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  await read(/<proceed[^>]*\/>/);
  plain.removeAllListeners('data');
  const secured = connectTls({ socket: plain, servername: 'localhost', rejectUnauthorized: false, ...(session === undefined ? {} : { session }) });
  const login: Login = { resumed: false, session: undefined };
  secured.on('session', (ticket: Buffer) => (login.session = ticket));
  await new Promise<void>((resolve, reject) => secured.once('secureConnect', resolve).once('error', reject));
  login.resumed = secured.isSessionReused();
  await authenticateAndBind(secured);
  return finish(secured, login, session);
}

/** A Direct TLS login (XEP-0368) offering `session`. */
async function directTlsLogin(port: number, session: Buffer | undefined): Promise<Login> {
  const secured = connectTls({
    host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false, ALPNProtocols: ['xmpp-client'],
    ...(session === undefined ? {} : { session }),
  });
  const login: Login = { resumed: false, session: undefined };
  secured.on('session', (ticket: Buffer) => (login.session = ticket));
  await new Promise<void>((resolve, reject) => secured.once('secureConnect', resolve).once('error', reject));
  login.resumed = secured.isSessionReused();
  await authenticateAndBind(secured);
  return finish(secured, login, session);
}

test('a STARTTLS client resumes with its ticket, and gets a full handshake once the key is retired', async () => {
  // A 1 s rotation instead of the shipped 12 h, so that a key retires within the test (the last
  // test checks the shipped value).
  server = await startTestServer({ globals: { tls_ticket_key_rotation: 1 } });
  const first = await starttlsLogin(server.port, undefined);
  expect(first.resumed).toBe(false);
  expect(first.session).toBeDefined();
  const again = await starttlsLogin(server.port, first.session);
  expect(again.resumed).toBe(true);
  // The ticket's key is current for at most 1 s and accepted for 1 s more.
  await sleep(2_200);
  const late = await starttlsLogin(server.port, again.session);
  expect(late.resumed).toBe(false);
  expect((await starttlsLogin(server.port, late.session)).resumed).toBe(true);
}, 15_000);

test('a Direct TLS client resumes with its ticket', async () => {
  server = await startTestServer({ globals: { tls_ticket_key_rotation: 1 } });
  const first = await directTlsLogin(server.directTlsPort, undefined);
  expect(first.resumed).toBe(false);
  expect((await directTlsLogin(server.directTlsPort, first.session)).resumed).toBe(true);
});

test('the shipped rotation resumes, and tls_ticket_key_rotation = 0 turns tickets off', async () => {
  server = await startTestServer();
  const first = await starttlsLogin(server.port, undefined);
  expect((await starttlsLogin(server.port, first.session)).resumed).toBe(true);
  await server.stop();
  server = await startTestServer({ globals: { tls_ticket_key_rotation: 0 } });
  const once = await starttlsLogin(server.port, undefined);
  expect((await starttlsLogin(server.port, once.session)).resumed).toBe(false);
});
