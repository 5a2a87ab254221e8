/**
 * The measurements of `bench/fixture-startup.ts`: one start of a fixture up to its first accepted
 * login, in process (`startServer`) or as `salon fixture` in a new process, and what a start/stop
 * leaves behind.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { startServer } from 'salon';
import { LoadClient, type TlsMode } from './load-client.js';

export interface Timing {
  /** Until the server (or the process's printed facts) was ready. */
  readyMs: number;
  /** Until the first login was accepted (SASL success, resource bound). */
  loginMs: number;
}

const USER = 'alice';
const PASSWORD = 'pw';

interface Endpoint {
  port: number;
  tls: TlsMode;
  ca: string | undefined;
}

/** PLAIN needs no client-side key derivation, so the figure is the server's. */
async function firstLogin(endpoint: Endpoint): Promise<void> {
  const client = await LoadClient.login({
    host: '127.0.0.1', port: endpoint.port, domain: 'localhost', username: USER, password: PASSWORD,
    mechanism: 'PLAIN', tls: endpoint.tls, ...(endpoint.ca === undefined ? {} : { ca: endpoint.ca }),
  });
  await client.close();
}

/** `startServer()` (fixture form) to the first login: plain TCP without TLS, Direct TLS with it. */
export async function inProcessRun(tls: boolean): Promise<Timing> {
  const started = performance.now();
  const server = await startServer({ users: { [USER]: PASSWORD }, tls });
  const readyMs = performance.now() - started;
  try {
    await firstLogin(tls
      ? { port: server.directTls!.port, tls: 'direct', ca: server.certificate }
      : { port: server.c2s!.port, tls: 'none', ca: undefined });
    return { readyMs, loginMs: performance.now() - started };
  } finally {
    await server.stop();
  }
}

/** The facts `salon fixture --print-env` printed. */
function parseFacts(lines: readonly string[]): Map<string, string> {
  return new Map(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

/** Spawns `node <cli> fixture …` and resolves with its printed facts (and the child to stop). */
async function spawnFixture(cli: string, tls: boolean, env: NodeJS.ProcessEnv) {
  const args = [cli, 'fixture', '--user', `${USER}:${PASSWORD}`, '--print-env', ...(tls ? [] : ['--no-tls'])];
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines: string[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    lines.push(line);
    if (line.startsWith('SALON_PID=')) break;
  }
  if (!lines.some((line) => line.startsWith('SALON_PID='))) throw new Error(`salon fixture exited with ${await exited} before printing`);
  return { child, exited, facts: parseFacts(lines) };
}

/** Spawn of `salon fixture` to the first login against the port it printed. */
export async function spawnRun(cli: string, tls: boolean, env: NodeJS.ProcessEnv): Promise<Timing> {
  const started = performance.now();
  const { child, exited, facts } = await spawnFixture(cli, tls, env);
  const readyMs = performance.now() - started;
  try {
    const certificate = facts.get('SALON_CERTIFICATE_FILE');
    await firstLogin(tls
      ? { port: Number(facts.get('SALON_DIRECT_TLS_PORT')), tls: 'direct', ca: await readFile(certificate!, 'utf8') }
      : { port: Number(facts.get('SALON_C2S_PORT')), tls: 'none', ca: undefined });
    return { readyMs, loginMs: performance.now() - started };
  } finally {
    child.kill('SIGTERM');
    const code = await exited;
    if (code !== 0) throw new Error(`salon fixture exited with ${code} after SIGTERM`);
  }
}

/**
 * Spawn to exit of a Node process running `script` (`''`: nothing, the floor under `spawnRun`;
 * an import of the package: what loading its modules costs).
 */
export async function nodeRun(script: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return performance.now() - started;
}

/** Active resources by type (`process.getActiveResourcesInfo()`), e.g. `{ TCPServerWrap: 2 }`. */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

/** Heap in use after full collections (needs `node --expose-gc`; otherwise as it is). */
export async function settledHeap(): Promise<{ heapUsed: number; collected: boolean }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let pass = 0; pass < 3 && gc !== undefined; pass++) {
    // Let pending callbacks (closed handles, finalizers) run between collections.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  return { heapUsed: process.memoryUsage().heapUsed, collected: gc !== undefined };
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
