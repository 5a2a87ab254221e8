/**
 * Starts `bench-server.ts` in a child process (pinned to one CPU core when `taskset` is there) and
 * talks to it over stdio: the ready line, `stats` requests, and stop by closing its stdin.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import type { ServerReady, ServerStats } from './bench-protocol.js';
import type { ServerUnderTest } from './server-under-test.js';

export interface BenchServerOptions {
  /** Accounts in memory storage (`user0..`), unless `data` is given. */
  users: number;
  /** A data directory prepared by `salon import` (json-file storage) instead of memory accounts. */
  data?: string;
  tls: boolean;
  /** Run the MUC service `conference.localhost`. */
  muc?: boolean;
  /** The core to pin the server to; undefined runs it unpinned. */
  core: number | undefined;
  /** Deadline for start-up and for each stats answer; default 60 s. */
  timeoutMs?: number;
}

const SUPPORT_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = join(SUPPORT_DIR, '..', '..');

function jitiCli(): string {
  const require = createRequire(join(REPO_ROOT, 'package.json'));
  return join(dirname(require.resolve('jiti/package.json')), 'lib', 'jiti-cli.mjs');
}

export class BenchServer implements ServerUnderTest {
  readonly kind = 'salon';
  readonly ready: ServerReady;
  readonly dataDir: string | undefined;
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: AsyncIterator<string>;
  readonly #timeoutMs: number;
  #exit: string | undefined;
  readonly #exited: Promise<void>;

  private constructor(child: ChildProcessWithoutNullStreams, lines: AsyncIterator<string>, ready: ServerReady, timeoutMs: number, exited: Promise<void>, dataDir?: string) {
    this.#child = child;
    this.dataDir = dataDir;
    this.#lines = lines;
    this.ready = ready;
    this.#timeoutMs = timeoutMs;
    this.#exited = exited;
    child.once('exit', (code, signal) => (this.#exit = `server process exited (code ${code}, signal ${signal})`));
  }

  /** Spawns the server and resolves once it listens. */
  static async start(options: BenchServerOptions): Promise<BenchServer> {
    const timeoutMs = options.timeoutMs ?? 60_000;
    // BENCH_SERVER_NODE_OPTIONS adds Node flags to the server process, e.g. `--cpu-prof` to profile it.
    const extra = (process.env.BENCH_SERVER_NODE_OPTIONS ?? '').split(' ').filter((flag) => flag !== '');
    const args = [
      '--expose-gc', ...extra, jitiCli(), join(SUPPORT_DIR, 'bench-server.ts'), '--users', String(options.users),
      ...(options.data === undefined ? [] : ['--data', options.data]), ...(options.tls ? ['--tls'] : []), ...(options.muc === true ? ['--muc'] : []),
    ];
    const command = options.core === undefined ? process.execPath : 'taskset';
    const fullArgs = options.core === undefined ? args : ['-c', String(options.core), process.execPath, ...args];
    const child = spawn(command, fullArgs, { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[server] ${chunk.toString('utf8')}`));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    try {
      const first = await withDeadline(lines.next(), timeoutMs, 'server start-up');
      if (first.done === true) throw new Error('the server process ended before listening');
      return new BenchServer(child, lines, JSON.parse(first.value) as ServerReady, timeoutMs, exited, options.data);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  }

  /** Why the server process is gone, or undefined while it runs. */
  get exitReason(): string | undefined {
    return this.#exit;
  }

  /** The server's memory and cumulative CPU now; `collect` runs a full GC first (with `--expose-gc`). */
  async stats(collect = false): Promise<ServerStats> {
    if (this.#exit !== undefined) throw new Error(this.#exit);
    this.#child.stdin.write(collect ? 'stats gc\n' : 'stats\n');
    const line = await withDeadline(this.#lines.next(), this.#timeoutMs, 'server stats');
    if (line.done === true) throw new Error(this.#exit ?? 'the server process closed its output');
    return JSON.parse(line.value) as ServerStats;
  }

  /** Closes the server's stdin (it stops and exits); kills it if it has not exited in time. */
  async stop(): Promise<void> {
    if (this.#exit !== undefined) return;
    this.#child.stdin.end();
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), this.#timeoutMs);
    await this.#exited;
    clearTimeout(timer);
  }
}

export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms)));
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
