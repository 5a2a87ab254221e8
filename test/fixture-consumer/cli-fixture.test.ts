/**
 * `salon fixture` as a test suite in another language would use it: spawn it, read the facts it
 * prints, connect, then stop it with a signal.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { isProcessGone } from '../helpers/process-state.js';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { connect as connectTls } from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { firstWebSocketFrame, startBoshSession } from './web-probes.js';
import { login, xml } from './client.js';

/** The package's `salon` executable, as `npx salon` runs it (package.json `bin`). */
const PACKAGE_ROOT = new URL('../../', import.meta.url);
const CLI = fileURLToPath(new URL((JSON.parse(readFileSync(new URL('package.json', PACKAGE_ROOT), 'utf8')) as { bin: { salon: string } }).bin.salon, PACKAGE_ROOT));
const SEEDED_CONFIG = fileURLToPath(new URL('./configs/seeded.config.ts', import.meta.url));
const TYPO_CONFIG = fileURLToPath(new URL('./configs/typo.config.ts', import.meta.url));

let cache: string;
beforeAll(async () => {
  cache = await mkdtemp(`${tmpdir()}/salon-fixture-cache-`);
});
afterAll(async () => {
  await rm(cache, { recursive: true, force: true });
});

interface Fixture {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: string[];
  readonly exited: Promise<number | null>;
}

/** Spawns `salon fixture …` and resolves once it has printed everything (`SALON_PID`, or the JSON line). */
async function spawnFixture(args: readonly string[]): Promise<Fixture> {
  const child = spawn(process.execPath, [CLI, 'fixture', ...args], { env: { ...process.env, XDG_CACHE_HOME: cache } });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines: string[] = [];
  const reader = createInterface({ input: child.stdout });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no output within 15 s; stderr: ${stderr}`)), 15_000);
    reader.on('line', (line) => {
      lines.push(line);
      if (line.startsWith('SALON_PID=') || line.startsWith('{')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before printing; stderr: ${stderr}`));
    });
  });
  return { child, lines, exited };
}

/** `KEY=value` lines; single-quoted values unquoted as a POSIX shell would. */
function parseEnv(lines: readonly string[]): Record<string, string> {
  return Object.fromEntries(lines.map((line) => {
    const [, key = '', value = ''] = /^([A-Z0-9_]+)=(.*)$/.exec(line) ?? [];
    return [key, value.startsWith("'") ? value.slice(1, -1).replace(/'\\''/g, "'") : value];
  }));
}

/** Runs `salon fixture …` to its end; resolves with the exit code and the output. */
async function runToEnd(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, 'fixture', ...args], { env: { ...process.env, XDG_CACHE_HOME: cache } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout, stderr };
}

describe('salon fixture --print-env', () => {
  test('prints where the server is and who may log in; the facts work; SIGTERM ends it with exit 0', async () => {
    const fixture = await spawnFixture(['--no-tls', '--user', 'alice:secret', '--user', "bob:it's me", '--room', 'lobby', '--roster', 'alice,bob', '--print-env']);
    const env = parseEnv(fixture.lines);
    try {
      expect(Object.keys(env)).toEqual([
        'SALON_HOST', 'SALON_DOMAIN', 'SALON_MUC_DOMAIN', 'SALON_C2S_PORT', 'SALON_HTTP_URL', 'SALON_WEBSOCKET_URL', 'SALON_BOSH_URL',
        'SALON_USER_ALICE_JID', 'SALON_USER_ALICE_PASSWORD', 'SALON_USER_BOB_JID', 'SALON_USER_BOB_PASSWORD', 'SALON_ROOM_LOBBY_JID', 'SALON_PID',
      ]);
      expect(env).toMatchObject({
        SALON_HOST: '127.0.0.1', SALON_DOMAIN: 'localhost', SALON_MUC_DOMAIN: 'conference.localhost',
        SALON_USER_ALICE_JID: 'alice@localhost', SALON_USER_BOB_PASSWORD: "it's me", SALON_ROOM_LOBBY_JID: 'lobby@conference.localhost',
        SALON_PID: String(fixture.child.pid),
      });
      expect(env.SALON_WEBSOCKET_URL).toBe(`${env.SALON_HTTP_URL!.replace('http', 'ws')}/xmpp-websocket`);
      const alice = await login({ port: Number(env.SALON_C2S_PORT), jid: env.SALON_USER_ALICE_JID!, password: env.SALON_USER_ALICE_PASSWORD! });
      try {
        const roster = await alice.xmpp.iqCaller.request(xml('iq', { type: 'get' }, xml('query', { xmlns: 'jabber:iq:roster' })));
        expect(roster.getChild('query')?.getChildren('item').map((item) => item.attrs)).toEqual([{ jid: 'bob@localhost', subscription: 'both' }]);
        const room = await alice.xmpp.iqCaller.request(xml('iq', { type: 'get', to: env.SALON_ROOM_LOBBY_JID }, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' })));
        expect(room.attrs.type).toBe('result');
      } finally {
        await alice.stop();
      }
    } finally {
      fixture.child.kill('SIGTERM');
    }
    expect(await fixture.exited).toBe(0);
  });
});

describe('salon fixture --json', () => {
  test('one JSON object with the same keys; with TLS, a certificate file to trust, removed at exit (SIGINT)', async () => {
    const fixture = await spawnFixture(['--user', 'alice:secret', '--json']);
    expect(fixture.lines).toHaveLength(1);
    const facts = JSON.parse(fixture.lines[0]!) as Record<string, string | number>;
    const certificateFile = String(facts.SALON_CERTIFICATE_FILE);
    try {
      expect(facts).toMatchObject({ SALON_DOMAIN: 'localhost', SALON_C2S_PORT: expect.any(Number), SALON_DIRECT_TLS_PORT: expect.any(Number) });
      expect(String(facts.SALON_HTTPS_URL)).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const ca = await readFile(certificateFile, 'utf8');
      const authorized = await new Promise<boolean>((resolve, reject) => {
        const socket = connectTls({ host: '127.0.0.1', port: Number(facts.SALON_DIRECT_TLS_PORT), servername: 'localhost', ca }, () => {
          resolve(socket.authorized);
          socket.destroy();
        });
        socket.once('error', reject);
      });
      expect(authorized).toBe(true);
    } finally {
      fixture.child.kill('SIGINT');
    }
    expect(await fixture.exited).toBe(0);
    expect(existsSync(certificateFile)).toBe(false);
  });

  test('the printed WebSocket, BOSH and HTTP URLs answer (the HTTP app loads with the first request)', async () => {
    const fixture = await spawnFixture(['--no-tls', '--user', 'alice:secret', '--json']);
    const facts = JSON.parse(fixture.lines[0]!) as Record<string, string | number>;
    try {
      const health = await fetch(`${String(facts.SALON_HTTP_URL)}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const first = await firstWebSocketFrame(String(facts.SALON_WEBSOCKET_URL));
      expect(first).toMatch(/^<open [^>]*xmlns=.urn:ietf:params:xml:ns:xmpp-framing./);
      const bosh = await startBoshSession(String(facts.SALON_BOSH_URL));
      expect(bosh.status).toBe(200);
      expect(bosh.body).toMatch(/<body [^>]*sid=/);
    } finally {
      fixture.child.kill('SIGTERM');
    }
    expect(await fixture.exited).toBe(0);
  });

  test('--config: hosts and the fixture section come from the file, on free ports', async () => {
    const fixture = await spawnFixture(['--config', SEEDED_CONFIG, '--no-tls', '--json']);
    const facts = JSON.parse(fixture.lines[0]!) as Record<string, string | number>;
    fixture.child.kill('SIGTERM');
    expect(facts).toMatchObject({
      SALON_DOMAIN: 'chat.test', SALON_MUC_DOMAIN: 'rooms.chat.test', SALON_USER_CAROL_JID: 'carol@chat.test',
      SALON_USER_CAROL_PASSWORD: 'carol-pw', SALON_ROOM_BOARD_JID: 'board@rooms.chat.test',
    });
    expect(await fixture.exited).toBe(0);
  });
});

describe('salon fixture: help and mistakes', () => {
  test('--help prints the usage; a malformed --user and a bad config file exit 2 with a reason', async () => {
    const help = await runToEnd(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: salon fixture');
    const malformed = await runToEnd(['--user', 'alice']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('--user "alice": expected NAME:PASSWORD');
    const typo = await runToEnd(['--config', TYPO_CONFIG]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown key "user" (did you mean "users"?)');
  });

  test('names that would give the same variables are refused, naming both (exit 2), rather than one user lost', async () => {
    const users = await runToEnd(['--no-tls', '--user', 'bob-smith:a', '--user', 'bob_smith:b']);
    expect(users.code).toBe(2);
    expect(users.stdout).toBe('');
    expect(users.stderr).toBe('salon: users "bob-smith@localhost", "bob_smith@localhost" would all be SALON_USER_BOB_SMITH_*: give them names that differ in letters or digits\n');
    const rooms = await runToEnd(['--no-tls', '--room', 'team.a', '--room', 'team-a']);
    expect(rooms.code).toBe(2);
    expect(rooms.stderr).toContain('rooms "team.a@conference.localhost", "team-a@conference.localhost" would all be SALON_ROOM_TEAM_A_JID');
  });
});

/**
 * A parent (a test runner) that starts `salon fixture` and is then killed with SIGKILL, which it
 * cannot catch: the fixture must notice and exit by itself.
 */
describe('salon fixture ends when its parent goes away', () => {
  const PARENT = `const { spawn } = require('node:child_process');
const [cli, stdin] = process.argv.slice(1);
spawn(process.execPath, [cli, 'fixture', '--no-tls', '--print-env'], { stdio: [stdin, 'inherit', 'inherit'] });
setInterval(() => undefined, 60_000); // lives until killed`;



  /**
   * Starts the parent, waits for the fixture's SALON_PID, kills the parent with SIGKILL and
   * resolves with the fixture's pid once the fixture has closed the output it inherited (so it
   * has exited); rejects after 10 s.
   */
  async function killParent(stdin: 'pipe' | 'ignore'): Promise<number> {
    const parent = spawn(process.execPath, ['-e', PARENT, CLI, stdin], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, XDG_CACHE_HOME: cache } });
    const closed = new Promise<void>((resolve) => parent.once('close', () => resolve()));
    const reader = createInterface({ input: parent.stdout });
    const pid = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no SALON_PID within 15 s')), 15_000);
      reader.on('line', (line) => {
        if (!line.startsWith('SALON_PID=')) return;
        clearTimeout(timer);
        resolve(Number(line.slice('SALON_PID='.length)));
      });
    });
    expect(isProcessGone(pid)).toBe(false);
    parent.kill('SIGKILL');
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`fixture ${pid} still running 10 s after its parent was killed`)), 10_000);
    });
    await Promise.race([closed, deadline]).finally(() => clearTimeout(timer));
    return pid;
  }

  test('standard input is a pipe from the parent: it closes, the fixture exits', async () => {
    const pid = await killParent('pipe');
    expect(isProcessGone(pid)).toBe(true);
  }, 30_000);

  test('standard input is /dev/null (as in CI): the fixture sees that its parent no longer exists and exits', async () => {
    const pid = await killParent('ignore');
    expect(isProcessGone(pid)).toBe(true);
  }, 30_000);
});
