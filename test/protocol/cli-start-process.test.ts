/**
 * `salon start` as a real process (the built package executable): it serves clients, and SIGTERM/SIGINT end every
 * stream with `system-shutdown`, flush storage and exit 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
  data_path: ${JSON.stringify(join(dir, 'data'))}, sasl_iterations: 4096,
  hosts: [VirtualHost('localhost')],
});
`,
  );
});
afterEach(async () => {
  child?.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

function run(args: string[], input?: string): Promise<number> {
  return new Promise((resolve) => {
    const process_ = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: ['pipe', 'ignore', 'ignore'] });
    process_.stdin.end(input ?? '');
    process_.on('exit', (code) => resolve(code ?? -1));
  });
}

/** Starts the server and resolves with its c2s port, read from the "listening" log line. */
function start(): Promise<{ port: number; exited: Promise<number> }> {
  child = spawn(process.execPath, [CLI, 'start', '--config', 'salon.config.ts'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number>((resolve) => child!.on('exit', (code) => resolve(code ?? -1)));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child!.stdout! });
    lines.on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; kind?: string; port?: number };
      if (entry.msg === 'listening' && entry.kind === 'c2s') resolve({ port: entry.port!, exited });
    });
    void exited.then((code) => reject(new Error(`exited early with ${code}`)));
  });
}

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
