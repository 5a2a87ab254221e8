/**
 * Bodies the listener never reads (issue 14, finding 4): GET, HEAD and OPTIONS bodies, and the
 * bodies of unauthorized requests to the admin routes; BOSH bodies past the pre-authentication
 * bound; and `/ready` answering its status only. Each request announces a large body and sends
 * only its first bytes: an answer before the rest arrives shows that nothing waited to read it.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Component, startServer, VirtualHost, type RunningServer } from '../../salon.js';
import { coreOf } from '../../server/core/index.js';
import { BOSH_NS, boshLogin, boshPost } from '../helpers/bosh-client.js';
import { jsonOf, send } from '../helpers/http-request.js';
import { deadline, sendPartial } from '../helpers/partial-request.js';
import { recordingLogger } from '../helpers/recording-logger.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const KICK_SECRET = 'Bearer kick-secret-0123456789';
const ROSTER_SECRET = 'Bearer roster-secret-0123456789';
const MIB = 1024 * 1024;

let server: TestServer | RunningServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

function startAdminServer(): Promise<TestServer> {
  return startTestServer({
    hosts: [
      VirtualHost('localhost', {
        modules_enabled: ['http_roster_admin'],
        http_roster_url: 'http://127.0.0.1:9/contacts/%s',
        http_roster_admin_authorization_header: ROSTER_SECRET,
      }),
      Component('conference.localhost', 'muc', { modules_enabled: ['http_muc_kick'], http_muc_kick_authorization_header: KICK_SECRET }),
    ],
  });
}

describe('GET, HEAD and OPTIONS: the body is never read (RFC 9110 §9.3.1, §9.3.2, §9.3.7)', () => {
  test('host-meta with a 10 MiB body announced is answered at once, then the connection closes', async () => {
    server = await startTestServer();
    const request = await sendPartial(server.httpUrl!, 'GET', '/.well-known/host-meta.json', {
      Host: 'localhost', 'Content-Length': String(10 * MIB),
    }, 'x'.repeat(1024));
    const answer = await Promise.race([request.answer, deadline(3_000, 'host-meta answered before its body was sent')]);
    expect([answer.status, answer.headers.connection]).toEqual([200, 'close']);
    expect(JSON.parse(answer.body)).toMatchObject({ links: expect.any(Array) });
    // The server ends the connection instead of reading the 10 MiB it was promised.
    await Promise.race([request.closed, deadline(3_000, 'the server closing the connection')]);
  });

  test('a small body is dropped and the connection stays usable; OPTIONS alike', async () => {
    server = await startTestServer();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const url = `${server.httpUrl!}/.well-known/host-meta.json`;
      const first = await send(url, { host: 'localhost', agent, body: 'ignored'.repeat(100) });
      const second = await send(url, { host: 'localhost', agent });
      expect([first.status, second.status, second.reused]).toEqual([200, 200, true]);
      const preflight = await sendPartial(server.httpUrl!, 'OPTIONS', '/http-bind', {
        Host: 'localhost', Origin: 'https://app.example', 'Content-Length': String(MIB),
      }, '<body/>');
      expect((await Promise.race([preflight.answer, deadline(3_000, 'the pre-flight')])).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });
});

describe('answers the listener gives without a route do not read the body either', () => {
  test('405, 404 and the probes with a large body announced are answered at once, then the connection closes', async () => {
    server = await startAdminServer();
    const cases: [string, string, string, number][] = [
      ['PUT', '/muc_kick', 'conference.localhost', 405],
      ['POST', '/no-such-route', 'localhost', 404],
      ['POST', '/muc_kick', 'unknown.example', 404],
      ['GET', '/health', 'localhost', 200],
    ];
    for (const [method, path, host, status] of cases) {
      const request = await sendPartial(server.httpUrl!, method, path, { Host: host, 'Content-Length': String(10 * MIB) }, 'x'.repeat(1024));
      const answer = await Promise.race([request.answer, deadline(3_000, `${method} ${path} answered before its body`)]);
      expect([method, path, answer.status, answer.headers.connection]).toEqual([method, path, status, 'close']);
      await Promise.race([request.closed, deadline(3_000, 'the server closing the connection')]);
    }
  });
});

describe('admin routes check Authorization before reading the body', () => {
  test('/muc_kick: a wrong header gets 401 before the announced body is sent', async () => {
    server = await startAdminServer();
    const request = await sendPartial(server.httpUrl!, 'POST', '/muc_kick', {
      Host: 'conference.localhost', Authorization: 'Bearer wrong', 'Content-Length': String(200 * 1024),
    }, '{"nickname":"Bob","muc":"room@conference.localhost","reason":"');
    const answer = await Promise.race([request.answer, deadline(3_000, '401 before the body')]);
    expect([answer.status, JSON.parse(answer.body), answer.headers.connection]).toEqual([401, { error: 'Authorization failed' }, 'close']);
    await Promise.race([request.closed, deadline(3_000, 'the server closing the connection')]);
  });

  test('/muc_kick with the right header reads its body, sent in two parts', async () => {
    server = await startAdminServer();
    const body = JSON.stringify({ nickname: 'Bob', muc: 'room@conference.localhost' });
    const request = await sendPartial(server.httpUrl!, 'POST', '/muc_kick', {
      Host: 'conference.localhost', Authorization: KICK_SECRET, 'Content-Length': String(body.length),
    }, body.slice(0, 10));
    request.socket.write(body.slice(10));
    const answer = await Promise.race([request.answer, deadline(3_000, 'the kick answer')]);
    // Row 7 of the contract: the body was read and parsed, and names a room that does not exist.
    expect([answer.status, JSON.parse(answer.body)]).toEqual([404, { error: "MUC not found: No MUC 'room' found for host: conference.localhost" }]);
    request.socket.destroy();
  });

  test('/roster_admin/refresh: a wrong header gets 401 before the announced body is sent', async () => {
    server = await startAdminServer();
    const request = await sendPartial(server.httpUrl!, 'POST', '/roster_admin/refresh', {
      Host: 'localhost', Authorization: 'Bearer wrong', 'Content-Length': String(MIB),
    }, '["john",');
    const answer = await Promise.race([request.answer, deadline(3_000, '401 before the body')]);
    expect([answer.status, JSON.parse(answer.body)]).toEqual([401, { status: 'error', message: 'Authorization failed' }]);
    await Promise.race([request.closed, deadline(3_000, 'the server closing the connection')]);
  });
});

describe('BOSH before authentication: the pre-auth bound (c2s_unauthed_stanza_size_limit), shipped values', () => {
  const creation = `<body xmlns='${BOSH_NS}' rid='4000' to='localhost' wait='10' hold='1' ver='1.11'>`;

  test('a session creation body past twice the 10,000-byte limit gets 413 before the rest is sent', async () => {
    server = await startTestServer();
    // 300 KB announced: under the authenticated bound (2 × 256 KiB), so only the pre-auth gate can refuse it.
    const request = await sendPartial(server.httpUrl!, 'POST', '/http-bind', {
      Host: 'localhost', 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': String(300_000),
    }, creation + '<!-- '.padEnd(25_000, 'x'));
    const answer = await Promise.race([request.answer, deadline(3_000, '413 before the body')]);
    expect([answer.status, JSON.parse(answer.body)]).toEqual([413, { error: 'Request body too large' }]);
    request.socket.destroy();
  });

  test('an unauthenticated session gets 413 for a large body; once authenticated the same size goes through', async () => {
    server = await startTestServer();
    const bosh = `${server.httpUrl!}/http-bind`;
    const stranger = await boshPost(bosh, `<body xmlns='${BOSH_NS}' rid='5000' to='localhost' wait='10' hold='1' ver='1.11'/>`);
    const sid = stranger.element?.attrs.sid as string;
    const big = 'x'.repeat(60_000);
    const refused = await boshPost(bosh, `<body xmlns='${BOSH_NS}' rid='5001' sid='${sid}'><message xmlns='jabber:client' to='bob@localhost'><body>${big}</body></message></body>`);
    expect(refused.status).toBe(413);
    const alice = await boshLogin(bosh, 'alice@localhost', 'alice-secret');
    // To her own full JID: delivered back to this session, so the answer carries it at once.
    const accepted = await alice.request(`<message xmlns='jabber:client' to='alice@localhost/bosh' id='big'><body>${big}</body></message>`);
    expect([accepted.status, accepted.element?.attrs.type]).toEqual([200, undefined]);
    const echoed = accepted.element?.getChildElements().find((el) => el.name === 'message') ?? (await alice.waitFor((el) => el.name === 'message'));
    expect(echoed.getChildText('body')).toBe(big);
  });
});

describe('/ready', () => {
  test('a failing storage answers 503 with the status only; the reason goes to the log', async () => {
    const dataPath = await mkdtemp(join(tmpdir(), 'salon-ready-'));
    const { logger, lines } = recordingLogger('debug');
    try {
      const running = await startServer({
        config: {
          c2s_ports: [0], c2s_direct_tls_ports: [], http_ports: [0], https_ports: [], c2s_interfaces: ['127.0.0.1'],
          http_interfaces: ['127.0.0.1'], data_path: dataPath, hosts: [VirtualHost('localhost')],
        },
        logger, tls: false,
      });
      server = running;
      await coreOf(running).storage.close(); // the driver refuses every write from now on, naming its directory
      const reply = await send(`${running.httpUrl!}/ready`);
      expect([reply.status, jsonOf(reply)]).toEqual([503, { status: 'unavailable' }]);
      expect(reply.body).not.toContain(dataPath);
      // The handle runs the same check: in-process callers may see the reason the HTTP reply withholds.
      expect(await running.storage.ready()).toEqual({ ready: false, reason: expect.stringContaining('storage is not writable') });
      const logged = lines.find((line) => line.msg === 'readiness check failed');
      expect(String(logged?.problem)).toContain(dataPath);
    } finally {
      await server?.stop().catch(() => undefined);
      server = undefined;
      await rm(dataPath, { recursive: true, force: true });
    }
  });
});
