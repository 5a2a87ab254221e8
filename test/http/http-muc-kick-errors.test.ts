/** http_muc_kick: refusals in the contract's order, with its exact messages (spec §2.4; K3–K11, K16, K17, K19). */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { Component } from '../../salon.js';
import type { RawClient } from '../helpers/raw-client.js';
import { jsonOf, sendHeaderLines } from '../helpers/http-request.js';
import { errorOf, KICK_SECRET, kickRequest, type KickRequestOptions } from '../helpers/muc-kick-request.js';
import {
  accounts, connect, createInstantRoom, enter, nicksIn, SERVICE, startMucServer, sync,
} from '../helpers/muc-plugin-harness.js';
import type { TestServer } from '../helpers/test-server.js';

const ROOM = `snuggery@${SERVICE}`;
let server: TestServer;
let alice: RawClient;
let bob: RawClient;

beforeAll(async () => {
  server = await startMucServer(
    { modules_enabled: ['http_muc_kick'], http_muc_kick_authorization_header: KICK_SECRET },
    accounts('alice@example.com', 'bob@example.com'),
    [Component('other.example.net', 'muc')],
  );
  [alice, bob] = await Promise.all([connect(server, 'alice@example.com', 'desk'), connect(server, 'bob@example.com', 'phone')]);
  await createInstantRoom(alice, 'snuggery', 'Alice');
  await enter(bob, 'snuggery', 'Bob');
  await enter(bob, 'elsewhere', 'Bob', { service: 'other.example.net' });
});
afterAll(async () => {
  alice?.close();
  bob?.close();
  await server?.stop();
});

const kick = (body: unknown, options?: KickRequestOptions) => kickRequest(server.httpUrl!, body, options);

/** Status and `error` message of a request. */
async function refusal(body: unknown, options?: KickRequestOptions): Promise<[number, unknown]> {
  const reply = await kick(body, options);
  return [reply.status, errorOf(reply)];
}

const BOB = { nickname: 'Bob', muc: ROOM };
const AUTH_FAILED = [401, 'Authorization failed'];

test('K3 missing or wrong header: 401 without WWW-Authenticate, Bob still in the room', async () => {
  const from = { localAddress: '127.0.0.3' };
  expect(await refusal(BOB, { ...from, authorization: null })).toEqual(AUTH_FAILED);
  expect(await refusal(BOB, { ...from, authorization: 'Basic xxx' })).toEqual(AUTH_FAILED);
  expect(await refusal(BOB, { ...from, authorization: KICK_SECRET.toLowerCase() })).toEqual(AUTH_FAILED);
  expect(await refusal(BOB, { ...from, authorization: `${KICK_SECRET}x` })).toEqual(AUTH_FAILED);
  expect((await kick(BOB, { ...from, authorization: null })).headers['www-authenticate']).toBeUndefined();
  expect(nicksIn(server, 'snuggery').sort()).toEqual(['Alice', 'Bob']);
  expect(JSON.stringify(server.logs)).not.toContain('dXNlcm5hbWU6cGFzc3dvcmQ');
});

test('K4 auth before parsing: invalid JSON or an oversized body with a wrong header is 401, not 400 or 413', async () => {
  const from = { localAddress: '127.0.0.4', authorization: 'Basic xxx' };
  expect(await refusal('{not json', from)).toEqual(AUTH_FAILED);
  expect(await refusal('x'.repeat(100 * 1024), from)).toEqual(AUTH_FAILED);
});

test('two Authorization headers are refused with 401 in either order; one right header passes to the body checks', async () => {
  const url = `${server.httpUrl!}/muc_kick`;
  const from = '127.0.0.5';
  const body = JSON.stringify(BOB);
  // Node keeps only the first of a repeated Authorization: the right value first must not pass.
  for (const pair of [[KICK_SECRET, 'Basic xxx'], ['Basic xxx', KICK_SECRET], [KICK_SECRET, KICK_SECRET]]) {
    const reply = await sendHeaderLines(url, 'POST', ['Host', SERVICE, 'Authorization', pair[0]!, 'Authorization', pair[1]!], body, from);
    expect([reply.status, jsonOf(reply)]).toEqual([401, { error: 'Authorization failed' }]);
  }
  const single = await sendHeaderLines(url, 'POST', ['Host', SERVICE, 'Authorization', KICK_SECRET], '{not json', from);
  expect([single.status, jsonOf(single)]).toEqual([400, { error: 'JSON body not found' }]);
  expect(nicksIn(server, 'snuggery').sort()).toEqual(['Alice', 'Bob']);
});

test('an address as Host (no host of the server) is 404, with no fallback to a web-client host and no CORS', async () => {
  for (const host of ['127.0.0.1', `127.0.0.1:${new URL(server.httpUrl!).port}`]) {
    const reply = await kick(BOB, { host, localAddress: '127.0.0.6' });
    expect([reply.status, errorOf(reply)]).toEqual([404, 'Unknown host: 127.0.0.1']);
  }
  const preflight = await sendHeaderLines(`${server.httpUrl!}/muc_kick`, 'OPTIONS', [
    'Host', '127.0.0.1', 'Origin', 'http://127.0.0.1:8080', 'Access-Control-Request-Method', 'POST',
  ]);
  expect(preflight.status).toBe(404);
  expect(Object.keys(preflight.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  expect(nicksIn(server, 'snuggery').sort()).toEqual(['Alice', 'Bob']);
});

test('K5 bad bodies: empty, not JSON, or JSON that is not an object', async () => {
  for (const body of ['', 'not json', '[]', '"x"', '42', 'true', 'null']) {
    expect([body, ...await refusal(body)]).toEqual([body, 400, 'JSON body not found']);
  }
});

test('K6 missing fields: nickname or muc absent, empty or not a string', async () => {
  const bodies = [{ muc: ROOM }, { nickname: 'Bob' }, { nickname: '', muc: ROOM }, { nickname: 5, muc: ROOM }, { nickname: 'Bob', muc: null }, { nickname: true, muc: {} }];
  for (const body of bodies) expect(await refusal(body)).toEqual([400, 'Missing nickname and/or MUC']);
});

test('K7 bad reason: 400 and Bob is still in the room for everybody', async () => {
  const seen = alice.received.length;
  expect(await refusal({ ...BOB, reason: 5 })).toEqual([400, 'Invalid reason']);
  expect(await refusal({ ...BOB, reason: { text: 'x' } })).toEqual([400, 'Invalid reason']);
  await sync(alice);
  expect(alice.received.slice(seen).filter((el) => el.name === 'presence')).toEqual([]);
  expect(nicksIn(server, 'snuggery').sort()).toEqual(['Alice', 'Bob']);
});

test('K8 invalid MUC JID: no node, unparsable, or with a resource', async () => {
  for (const muc of ['rooms.example.net', 'a@b@c', `${ROOM}/x`, '@rooms.example.net']) {
    expect(await refusal({ nickname: 'Bob', muc })).toEqual([400, 'Invalid MUC JID']);
  }
});

test('K9 unknown host', async () => {
  expect(await refusal({ nickname: 'Bob', muc: 'room@nowhere.invalid' })).toEqual([404, 'MUC not found: No such host: nowhere.invalid']);
});

test('K10 not a MUC', async () => {
  expect(await refusal({ nickname: 'Bob', muc: 'room@example.com' })).toEqual([404, "MUC not found: Host 'example.com' is not a MUC service"]);
});

test('K11 unknown room', async () => {
  expect(await refusal({ nickname: 'Bob', muc: `ghost@${SERVICE}` })).toEqual([404, `MUC not found: No MUC 'ghost' found for host: ${SERVICE}`]);
  expect(await refusal({ nickname: 'Bob', muc: `Ghost@${SERVICE.toUpperCase()}` })).toEqual([404, `MUC not found: No MUC 'ghost' found for host: ${SERVICE}`]);
});

test('K16 other services: a MUC service without the plugin is neither reachable through this endpoint nor has its own', async () => {
  const there = { nickname: 'Bob', muc: 'elsewhere@other.example.net' };
  expect(await refusal(there)).toEqual([404, "MUC not found: Host 'other.example.net' is not served by this endpoint"]);
  expect(await refusal(there, { host: 'other.example.net' })).toEqual([404, 'Not found']);
  expect(nicksIn(server, 'snuggery').sort()).toEqual(['Alice', 'Bob']);
});

test('K17 wrong method or path: GET is 405 with Allow: POST, /muc_kick/ is 404, OPTIONS gets no CORS headers', async () => {
  const get = await kick(undefined, { method: 'GET' });
  expect([get.status, errorOf(get), get.headers.allow]).toEqual([405, 'Method not allowed', 'POST']);
  const slash = await kick(BOB, { path: '/muc_kick/' });
  expect([slash.status, errorOf(slash)]).toEqual([404, 'Not found']);
  const options = await kick(undefined, { method: 'OPTIONS' });
  expect(options.status).toBe(405);
  expect(Object.keys(options.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  expect(nicksIn(server, 'snuggery').sort()).toEqual(['Alice', 'Bob']);
});

test('K19 large body: 100 KiB is 413', async () => {
  const body = JSON.stringify({ ...BOB, padding: 'x'.repeat(100 * 1024) });
  expect(await refusal(body)).toEqual([413, 'Request body too large']);
  expect(await refusal('x'.repeat(1024 * 1024))).toEqual([413, 'Request body too large']);
  expect(nicksIn(server, 'snuggery').sort()).toEqual(['Alice', 'Bob']);
});

test('failed authorizations are rate-limited per address: after 10 in a minute, 429 for wrong headers; the right one still passes', async () => {
  const attacker = { localAddress: '127.0.0.9' };
  for (let attempt = 0; attempt < 10; attempt++) {
    expect(await refusal(BOB, { ...attacker, authorization: `Basic guess${attempt}` })).toEqual(AUTH_FAILED);
  }
  expect(await refusal(BOB, { ...attacker, authorization: 'Basic guess10' })).toEqual([429, 'Too many requests']);
  expect(await refusal(BOB, { ...attacker, authorization: null })).toEqual([429, 'Too many requests']);
  // The backend shares the blocked address (a NAT, a proxy): its right header is never held at
  // 429 by someone else's failures. The occupant does not exist, so nothing changes in the room.
  expect(await refusal({ nickname: 'Nobody', muc: ROOM }, attacker)).toEqual([400, "Couldn't kick user: modify: item-not-found"]);
  expect(await refusal({ nickname: 'Nobody', muc: ROOM })).toEqual([400, "Couldn't kick user: modify: item-not-found"]);
  expect(await refusal(BOB, { ...attacker, authorization: 'Basic guess11' })).toEqual([429, 'Too many requests']);
  expect(nicksIn(server, 'snuggery').sort()).toEqual(['Alice', 'Bob']);
});
