/** muc_http_auth: only a clear yes admits; every failure refuses, with a deadline (spec §1.6; A4–A8). */
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import type { RawClient } from '../helpers/raw-client.js';
import { allow, answer, AuthBackend, closedPort, route, silent } from '../helpers/muc-http-auth-backend.js';
import {
  accounts, connect, isNotAuthorized, join, logsWith, startMucServer, statusCodes,
} from '../helpers/muc-plugin-harness.js';
import type { TestServer } from '../helpers/test-server.js';

const USERS = accounts('romeo@example.com', 'juliet@example.com');
let backend: AuthBackend;
let server: TestServer;
let romeo: RawClient;

beforeAll(async () => {
  backend = await AuthBackend.start();
  server = await startMucServer({ modules_enabled: ['muc_http_auth'], muc_http_auth_url: backend.url() }, USERS);
  romeo = await connect(server, 'romeo@example.com', 'balcony');
});
beforeEach(() => {
  backend.requests.length = 0;
  backend.script = allow;
});
afterAll(async () => {
  romeo?.close();
  await server?.stop();
  await backend?.close();
});

/** Joins with each answer in turn; resolves with the presence each join got. */
async function joinsAnswered(bodies: readonly { status: number; body: string }[]): Promise<boolean[]> {
  const refusals: boolean[] = [];
  for (const [index, { status, body }] of bodies.entries()) {
    backend.script = answer(status, body);
    refusals.push(isNotAuthorized(await join(romeo, `answer${index}`, 'Romeo')));
  }
  return refusals;
}

test('A4 type confusion refused: allowed null, "true", 1 or {} is not a yes', async () => {
  const bodies = ['{"allowed": null}', '{"allowed": "true"}', '{"allowed": 1}', '{"allowed": {}}'].map((body) => ({ status: 200, body }));
  expect(await joinsAnswered(bodies)).toEqual([true, true, true, true]);
  expect(backend.requests).toHaveLength(4);
  expect(logsWith(server, 40, "invalid 'allowed' value")).toHaveLength(4);
});

test('A5 status respected: 500 carrying {"allowed": true} refuses; so does a redirect, which is not followed', async () => {
  expect(await joinsAnswered([{ status: 500, body: '{"allowed": true}' }])).toEqual([true]);
  expect(logsWith(server, 40, 'HTTP status 500').length).toBeGreaterThan(0);
  backend.requests.length = 0;
  backend.script = route((request) => (request.path === '/can-join' ? answer(302, { allowed: true }, { Location: backend.url('/elsewhere') }) : allow));
  expect(isNotAuthorized(await join(romeo, 'redirected', 'Romeo'))).toBe(true);
  expect(backend.requests.map((request) => request.path)).toEqual(['/can-join']);
});

test('a slow answer within the deadline still admits', async () => {
  backend.script = (request, response) => setTimeout(() => allow(request, response), 300);
  const self = await join(romeo, 'patient', 'Romeo');
  expect(statusCodes(self)).toContain(110);
});

test('A6 garbage bodies: text, empty, array, number, boolean and string all refuse, and a reply always arrives', async () => {
  const bodies = ['hello', '', '[true]', '5', 'true', '"yes"'].map((body) => ({ status: 200, body }));
  expect(await joinsAnswered(bodies)).toEqual([true, true, true, true, true, true]);
  expect(backend.requests).toHaveLength(6);
});

test('A7 backend down: refused within 2 seconds and a warning is logged', async () => {
  const port = await closedPort();
  const down = await startMucServer({ modules_enabled: ['muc_http_auth'], muc_http_auth_url: `http://127.0.0.1:${port}/can-join` }, USERS);
  const client = await connect(down, 'romeo@example.com', 'balcony');
  try {
    const started = performance.now();
    const reply = await join(client, 'teaparty', 'Romeo', {}, 2000);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(isNotAuthorized(reply)).toBe(true);
    const warnings = logsWith(down, 40, 'MUC authorization service failed');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ user: 'romeo@example.com', room: 'teaparty@rooms.example.net', nick: 'Romeo' });
  } finally {
    client.close();
    await down.stop();
  }
});

test('A8 timeout: refused within 3 s while another join proceeds', async () => {
  const timed = await startMucServer({ modules_enabled: ['muc_http_auth'], muc_http_auth_url: backend.url(), muc_http_auth_timeout: 2 }, USERS);
  backend.script = route((request) => (request.query.get('mucJID')?.startsWith('slow@') === true ? silent : allow));
  const [client, juliet] = await Promise.all([connect(timed, 'romeo@example.com', 'balcony'), connect(timed, 'juliet@example.com', 'tomb')]);
  try {
    const started = performance.now();
    let slowSettledAt: number | undefined;
    const slow = join(client, 'slow', 'Romeo', {}, 3000).finally(() => (slowSettledAt = performance.now()));
    await backend.waitForRequests(1);
    const quick = await join(juliet, 'quick', 'Juliet');
    const quickAt = performance.now();
    expect(statusCodes(quick)).toContain(110);
    expect(quickAt - started).toBeLessThan(1000);
    expect(slowSettledAt).toBeUndefined();
    expect(isNotAuthorized(await slow)).toBe(true);
    expect(slowSettledAt! - started).toBeGreaterThanOrEqual(1900);
    expect(slowSettledAt! - started).toBeLessThan(3000);
    expect(logsWith(timed, 40, 'timeout').length).toBeGreaterThan(0);
  } finally {
    client.close();
    juliet.close();
    await timed.stop();
  }
});
