/** muc_http_auth: which rooms are checked, in list and host-map form (spec §1.3; A10–A14). */
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import type { RawClient } from '../helpers/raw-client.js';
import { allow, AuthBackend, deny } from '../helpers/muc-http-auth-backend.js';
import {
  accounts, connect, isNotAuthorized, join, logsWith, startMucServer, statusCodes,
} from '../helpers/muc-plugin-harness.js';
import type { TestServer } from '../helpers/test-server.js';

const USERS = accounts('romeo@example.com', 'juliet@other.example');
let backend: AuthBackend;

beforeAll(async () => {
  backend = await AuthBackend.start();
});
beforeEach(() => {
  backend.requests.length = 0;
  backend.script = deny();
});
afterAll(() => backend?.close());

interface Scene {
  readonly server: TestServer;
  readonly romeo: RawClient;
  readonly juliet: RawClient;
  /** Joins and reports `refused`, or `entered` when the self-presence came. */
  readonly attempt: (client: RawClient, room: string) => Promise<'refused' | 'entered'>;
  /** Backend requests made for a room node. */
  readonly asked: (room: string) => number;
}

async function withScene(options: Record<string, unknown>, body: (scene: Scene) => Promise<void>): Promise<void> {
  const server = await startMucServer({
    modules_enabled: ['muc_http_auth'], muc_http_auth_url: backend.url(), muc_room_locking: false, ...options,
  }, USERS);
  const [romeo, juliet] = await Promise.all([connect(server, 'romeo@example.com', 'balcony'), connect(server, 'juliet@other.example', 'tomb')]);
  const attempt = async (client: RawClient, room: string) => {
    const nick = client === romeo ? 'Romeo' : 'Juliet';
    const reply = await join(client, room, nick);
    if (isNotAuthorized(reply)) return 'refused' as const;
    if (!statusCodes(reply).includes(110)) throw new Error(`unexpected answer: ${reply.toString()}`);
    return 'entered' as const;
  };
  const asked = (room: string) => backend.requestsFor(`${room}@rooms.example.net`).length;
  try {
    await body({ server, romeo, juliet, attempt, asked });
  } finally {
    romeo.close();
    juliet.close();
    await server.stop();
  }
}

test('A10 host-map enabled_for: per user domain plus "all"; unlisted rooms need no request', async () => {
  await withScene({ muc_http_auth_enabled_for: { 'example.com': ['orchard'], all: ['teaparty'] } }, async ({ romeo, juliet, attempt, asked }) => {
    expect(await attempt(romeo, 'orchard')).toBe('refused');
    expect(await attempt(romeo, 'teaparty')).toBe('refused');
    expect(await attempt(juliet, 'teaparty')).toBe('refused');
    expect([asked('orchard'), asked('teaparty')]).toEqual([1, 2]);
    expect(await attempt(juliet, 'orchard')).toBe('entered');
    expect(asked('orchard')).toBe(1);
    expect(await attempt(romeo, 'lobby')).toBe('entered');
    expect(await attempt(juliet, 'lobby')).toBe('entered');
    expect(asked('lobby')).toBe(0);
  });
});

test('A11 list form: enabled_for checks only the listed rooms, disabled_for all but the listed ones, for every domain', async () => {
  await withScene({ muc_http_auth_enabled_for: ['teaparty'] }, async ({ romeo, juliet, attempt, asked }) => {
    expect(await attempt(romeo, 'teaparty')).toBe('refused');
    expect(await attempt(juliet, 'teaparty')).toBe('refused');
    expect(await attempt(romeo, 'lobby')).toBe('entered');
    expect(await attempt(juliet, 'lobby')).toBe('entered');
    expect([asked('teaparty'), asked('lobby')]).toEqual([2, 0]);
  });
  backend.requests.length = 0;
  await withScene({ muc_http_auth_disabled_for: ['lobby'] }, async ({ romeo, juliet, attempt, asked }) => {
    expect(await attempt(romeo, 'lobby')).toBe('entered');
    expect(await attempt(juliet, 'lobby')).toBe('entered');
    expect(await attempt(romeo, 'teaparty')).toBe('refused');
    expect(await attempt(juliet, 'teaparty')).toBe('refused');
    expect([asked('teaparty'), asked('lobby')]).toEqual([2, 0]);
  });
});

test('A12 both options set: enabled_for wins and a load-time warning names both', async () => {
  await withScene({ muc_http_auth_enabled_for: ['teaparty'], muc_http_auth_disabled_for: ['teaparty'] }, async ({ server, romeo, attempt, asked }) => {
    const warnings = logsWith(server, 40, 'muc_http_auth_enabled_for');
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]!.msg)).toContain('muc_http_auth_disabled_for');
    expect(await attempt(romeo, 'teaparty')).toBe('refused');
    expect(await attempt(romeo, 'lobby')).toBe('entered');
    expect([asked('teaparty'), asked('lobby')]).toEqual([1, 0]);
  });
});

test('A13 neither option set: every room is checked, including the join that creates a room', async () => {
  await withScene({}, async ({ romeo, juliet, attempt, asked }) => {
    expect(await attempt(juliet, 'lobby')).toBe('refused');
    backend.script = allow;
    const created = await join(romeo, 'brandnew', 'Romeo');
    expect(statusCodes(created)).toEqual(expect.arrayContaining([110, 201]));
    expect([asked('lobby'), asked('brandnew')]).toEqual([1, 1]);
  });
});

test('A14 normalization: enabled_for "TeaParty" selects teaparty@rooms.example.net', async () => {
  await withScene({ muc_http_auth_enabled_for: { All: ['TeaParty'], 'EXAMPLE.com': ['Orchard'] } }, async ({ romeo, attempt, asked }) => {
    expect(await attempt(romeo, 'teaparty')).toBe('refused');
    expect(await attempt(romeo, 'orchard')).toBe('refused');
    expect(await attempt(romeo, 'lobby')).toBe('entered');
    expect([asked('teaparty'), asked('orchard'), asked('lobby')]).toEqual([1, 1, 0]);
  });
});
