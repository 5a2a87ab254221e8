/**
 * `salon start` and `salon reload` as real processes (the built package executable): start
 * writes the pidfile, `salon reload` signals it, the server reads its config again (a MUC
 * room declared in `muc_rooms` appears) and logs one line of what changed; an invalid config is
 * refused by `salon reload` (exit 2) and, sent by SIGHUP, refused by the server, which keeps
 * running; on SIGTERM the pidfile goes and `salon reload` says no server runs (exit 1).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { rawLogin } from '../helpers/raw-login.js';

const CLI = join(process.cwd(), 'dist', 'cli.cjs');
let dir: string;
let child: ChildProcess | undefined;

/** The server's JSON log lines as they arrive, and waiting for one. */
interface LogReader {
  readonly lines: Array<Record<string, unknown>>;
  next(predicate: (line: Record<string, unknown>) => boolean, from?: number): Promise<Record<string, unknown>>;
}

async function writeConfig(rooms: string, extra = ''): Promise<void> {
  await writeFile(join(dir, 'salon.config.ts'), `import { defineConfig, VirtualHost, Component } from 'salon';
export default defineConfig({
  c2s_ports: [0], c2s_direct_tls_ports: [], c2s_interfaces: ['127.0.0.1'], http_ports: [], https_ports: [],
  data_path: 'data', sasl_iterations: 4096, fixture: { users: { alice: 'alice-secret' } }, ${extra}
  hosts: [VirtualHost('localhost'), Component('conference.localhost', 'muc', { muc_rooms: ${rooms} })],
});
`);
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'salon-reload-cli-'));
  await writeConfig(`['lobby']`);
});
afterEach(async () => {
  child?.kill('SIGKILL');
  child = undefined;
  await rm(dir, { recursive: true, force: true });
});

function run(args: string[], input = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const process_ = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    process_.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    process_.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    process_.stdin.end(input);
    process_.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Starts `salon start` (stdout a pipe: JSON lines); resolves with its c2s port once ready. */
async function start(): Promise<{ port: number; log: LogReader; exited: Promise<number> }> {
  child = spawn(process.execPath, [CLI, 'start', '--config', 'salon.config.ts'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number>((resolve) => child!.on('exit', (code) => resolve(code ?? -1)));
  const lines: Array<Record<string, unknown>> = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (text) => {
    lines.push(JSON.parse(text) as Record<string, unknown>);
    for (const waiter of waiters) waiter();
  });
  const log: LogReader = {
    lines,
    next: (predicate, from = 0) => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no such log line; saw ${JSON.stringify(lines.slice(from))}`)), 10_000);
      const check = (): void => {
        const found = lines.slice(from).find(predicate);
        if (found === undefined) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(found);
      };
      waiters.add(check);
      check();
    }),
  };
  const ready = await Promise.race([log.next((line) => String(line.msg).startsWith('ready;')), exited.then((code) => { throw new Error(`exited with ${code}`); })]);
  const port = Number(/:(\d+) /.exec(String((ready.c2s as string[])[0]))?.[1]);
  return { port, log, exited };
}

async function roomsOf(port: number): Promise<string[]> {
  const alice = await rawLogin(port, 'alice@localhost', 'alice-secret');
  alice.send("<iq type='get' id='items' to='conference.localhost'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
  const reply = await alice.waitFor((el) => el.attrs.id === 'items');
  alice.close();
  return reply.getChild('query')!.getChildren('item').map((item) => String(item.attrs.jid)).sort();
}

test('salon reload signals the server named by the pidfile; a room added to muc_rooms appears', async () => {
  const { port, log, exited } = await start();
  const pidfile = join(dir, 'data', 'salon.pid');
  expect(Number(await readFile(pidfile, 'utf8'))).toBe(child!.pid);
  expect(await roomsOf(port)).toEqual(['lobby@conference.localhost']);

  await writeConfig(`['lobby', { name: 'support', config: { roomname: 'Support' } }]`, `c2s_timeout: 60,`);
  const seen = log.lines.length;
  const reload = await run(['reload', '--config', 'salon.config.ts']);
  expect(reload).toMatchObject({ code: 0, stderr: '' });
  expect(reload.stdout).toBe(`sent SIGHUP to salon (pid ${child!.pid}); its log says what changed\n`);
  const summary = await log.next((line) => String(line.msg).startsWith('config reloaded:'), seen);
  expect(summary).toMatchObject({
    level: 30, msg: 'config reloaded: 2 changed, 1 applied, 1 waiting for a restart',
    applied: ['conference.localhost: muc (muc_rooms)'], needsRestart: ['c2s_timeout'],
  });
  expect(await roomsOf(port)).toEqual(['lobby@conference.localhost', 'support@conference.localhost']);

  child!.kill('SIGTERM');
  expect(await exited).toBe(0);
  await expect(access(pidfile)).rejects.toThrow();
  const after = await run(['reload', '--config', 'salon.config.ts']);
  expect(after).toMatchObject({ code: 1, stdout: '' });
  expect(after.stderr).toBe(`salon: salon is not running (no pidfile at ${pidfile})\n`);
}, 30_000);

test('an invalid config: salon reload exits 2 without signalling; SIGHUP makes the server log the errors and keep running', async () => {
  const { port, log } = await start();
  await writeConfig(`['lobby', 'support']`, `c2s_require_encyption: false,`);
  const refused = await run(['reload', '--config', 'salon.config.ts']);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('c2s_require_encryption');

  const seen = log.lines.length;
  child!.kill('SIGHUP');
  const error = await log.next((line) => String(line.msg).startsWith('config reload refused'), seen);
  expect(error).toMatchObject({ level: 50, option: 'c2s_require_encyption' });
  // Nothing changed and the process lives on.
  expect(await roomsOf(port)).toEqual(['lobby@conference.localhost']);
  expect(log.lines.slice(seen).some((line) => String(line.msg).startsWith('config reloaded'))).toBe(false);
}, 30_000);
