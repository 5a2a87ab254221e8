/**
 * `salon start` as a real process (the built package executable): it says once where it can be
 * reached, serves clients, ends the sessions of an account `salon deluser` removes, and
 * SIGTERM/SIGINT end every stream with `system-shutdown`, flush storage and exit 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { rawLogin } from '../helpers/raw-login.js';

/** The package `bin` (a CommonJS launcher that hands every command but `fixture` to dist/cli.js). */
const CLI = join(process.cwd(), 'dist', 'cli.cjs');
let dir: string;
let child: ChildProcess | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'salon-start-'));
  await writeFile(
    join(dir, 'salon.config.ts'),
    `import { defineConfig, VirtualHost } from 'salon';
export default defineConfig({
  c2s_ports: [0], c2s_direct_tls_ports: [], c2s_interfaces: ['127.0.0.1'], http_ports: [], https_ports: [],
  data_path: 'data', sasl_iterations: 4096, // relative to this file, wherever a command runs
  hosts: [VirtualHost('localhost')],
});
`,
  );
});
afterEach(async () => {
  child?.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

function run(args: string[], input?: string, cwd = dir): Promise<number> {
  return new Promise((resolve) => {
    const process_ = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['pipe', 'ignore', 'ignore'] });
    process_.stdin.end(input ?? '');
    process_.on('exit', (code) => resolve(code ?? -1));
  });
}

interface LogLine {
  level: number;
  msg: string;
  c2s?: string[];
  web?: string[];
  http?: string[];
}

/**
 * Starts the server (stdout is a pipe, so log lines are JSON) and resolves with its c2s port,
 * read from the one "ready" line, and every line logged up to it.
 */
function start(): Promise<{ port: number; exited: Promise<number>; lines: LogLine[] }> {
  child = spawn(process.execPath, [CLI, 'start', '--config', 'salon.config.ts'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number>((resolve) => child!.on('exit', (code) => resolve(code ?? -1)));
  const seen: LogLine[] = [];
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child!.stdout! });
    lines.on('line', (line) => {
      const entry = JSON.parse(line) as LogLine;
      seen.push(entry);
      if (!entry.msg.startsWith('ready;')) return;
      const port = /^127\.0\.0\.1:(\d+) \(STARTTLS\)$/.exec(entry.c2s?.[0] ?? '')?.[1];
      if (port === undefined) reject(new Error(`no c2s address in the ready line: ${line}`));
      else resolve({ port: Number(port), exited, lines: seen });
    });
    void exited.then((code) => reject(new Error(`exited early with ${code}`)));
  });
}

test('one "ready" line at info, last, naming the addresses to connect to; JSON lines when stdout is not a terminal', async () => {
  const { port, lines } = await start();
  const ready = lines.filter((line) => line.msg.startsWith('ready;'));
  expect(ready).toHaveLength(1);
  expect(ready[0]).toMatchObject({ level: 30, c2s: [`127.0.0.1:${port} (STARTTLS)`], web: [], http: [] });
  expect(ready[0]!.msg).toBe(`ready; XMPP clients: 127.0.0.1:${port} (STARTTLS)`);
  expect(lines.at(-1)).toBe(ready[0]);
}, 30_000);

test('`salon deluser`, run from another directory, ends the removed account\'s live sessions with not-authorized', async () => {
  expect(await run(['adduser', 'alice@localhost', '--config', 'salon.config.ts'], 'alice-secret\n')).toBe(0);
  expect(await run(['adduser', 'bob@localhost', '--config', 'salon.config.ts'], 'bob-secret\n')).toBe(0);
  const { port } = await start();
  const alice = await rawLogin(port, 'alice@localhost', 'alice-secret', 'phone');
  const alice2 = await rawLogin(port, 'alice@localhost', 'alice-secret', 'laptop');
  const bob = await rawLogin(port, 'bob@localhost', 'bob-secret');
  const elsewhere = join(dir, 'elsewhere');
  await mkdir(elsewhere);
  // data_path is relative to the config file: the command finds the accounts the server reads.
  expect(await run(['deluser', 'alice@localhost', '--config', join(dir, 'salon.config.ts')], undefined, elsewhere)).toBe(0);
  // RFC 6120 §4.9.3.17: the account is gone, so its sessions are no longer authorized.
  expect(await alice.streamError(5000)).toBe('not-authorized');
  expect(await alice2.streamError(5000)).toBe('not-authorized');
  await alice.waitForClose(5000);
  // Other accounts are untouched: bob still gets answers.
  bob.send("<iq type='get' id='ping1' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
  expect((await bob.waitFor((el) => el.attrs.id === 'ping1', 5000)).attrs.type).toBe('result');
  expect(bob.closed).toBe(false);
  bob.close();
}, 30_000);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal}: clients get system-shutdown and the process exits 0`, async () => {
    expect(await run(['adduser', 'alice@localhost', '--config', 'salon.config.ts'], 'alice-secret\n')).toBe(0);
    const { port, exited } = await start();
    const alice = await rawLogin(port, 'alice@localhost', 'alice-secret');
    child!.kill(signal);
    expect(await alice.streamError(5000)).toBe('system-shutdown');
    expect(await exited).toBe(0);
  }, 30_000);
}

/**
 * Runs `salon start` on a pseudo-terminal (Python's pty module: Node has none) until its ready
 * line, then stops it; resolves with what the terminal showed.
 */
const ON_A_TERMINAL = `import os, pty, signal, sys
signal.alarm(20)
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
shown = b""
while b"ready;" not in shown or not shown.endswith(b"\\n"):
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    shown += chunk
os.kill(pid, signal.SIGTERM)
os.waitpid(pid, 0)
sys.stdout.buffer.write(shown)
`;

test('on a terminal: readable lines with level names and colour instead of JSON', async () => {
  const python = spawn('python3', ['-c', ON_A_TERMINAL, process.execPath, CLI, 'start', '--config', 'salon.config.ts'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
  let shown = '';
  python.stdout.on('data', (chunk: Buffer) => (shown += chunk.toString('utf8')));
  expect(await new Promise((resolve) => python.on('close', resolve))).toBe(0);
  const lines = shown.split(/\r?\n/).filter((line) => line !== '');
  expect(lines.length).toBeGreaterThan(2);
  expect(lines.filter((line) => line.startsWith('{'))).toEqual([]);
  expect(lines.at(-1)).toMatch(/^\d\d:\d\d:\d\d\.\d{3} \u001b\[32mINFO \u001b\[0m ready; XMPP clients: 127\.0\.0\.1:\d+ \(STARTTLS\)$/);
}, 30_000);
