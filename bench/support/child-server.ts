/**
 * A server process the load generator started (Prosody, ejabberd): why it exited if it did, its
 * /proc figures while it runs, and a stop that asks first (SIGTERM) and insists after a grace period.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { readProcStats } from './proc-stats.js';
import type { ServerStats } from './bench-protocol.js';
import { answersStreams } from './server-probe.js';

/**
 * Spawns `command args` pinned to `core` (taskset) when one is given, without stdin or stdout;
 * its standard error is echoed with a `[name]` prefix.
 */
export function spawnServer(name: string, command: string, args: readonly string[], core: number | undefined, env?: NodeJS.ProcessEnv): ChildProcess {
  const options: SpawnOptions = { stdio: ['ignore', 'ignore', 'pipe'], ...(env === undefined ? {} : { env }) };
  const child = core === undefined ? spawn(command, args, options) : spawn('taskset', ['-c', String(core), command, ...args], options);
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString('utf8')}`));
  return child;
}

export class ChildServer {
  readonly #name: string;
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  #exit: string | undefined;

  constructor(name: string, child: ChildProcess) {
    this.#name = name;
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('exit', (code, signal) => (this.#exit = `${name} exited (code ${code}, signal ${signal})`));
  }

  /** Set once the process has exited. */
  get exitReason(): string | undefined {
    return this.#exit;
  }

  /**
   * Resolves once the server answers XMPP streams on `port`. When it exits or `timeoutMs` pass
   * first, `giveUp` stops what was started and the error carries the tail of `logFile`.
   */
  async waitForStreams(port: number, timeoutMs: number, logFile: string, giveUp: () => Promise<void> | void): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!(await answersStreams(port))) {
      if (this.#exit !== undefined || performance.now() > deadline) {
        const reason = this.#exit ?? 'timed out';
        await giveUp();
        const log = await readFile(logFile, 'utf8').catch(() => '');
        throw new Error(`${this.#name} did not start: ${reason}\n${log.slice(-2000)}`);
      }
      await sleep(100);
    }
  }

  /** CPU, RSS and descriptors of `pid` (the server itself, which may be a child of the spawned process). */
  async stats(pid: number): Promise<ServerStats> {
    if (this.#exit !== undefined) throw new Error(this.#exit);
    return readProcStats(pid);
  }

  /** SIGTERM, SIGKILL after `graceMs`; resolves once the process has exited (at once if it had). */
  async terminate(graceMs: number): Promise<void> {
    if (this.#exit !== undefined) return;
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    await this.#exited;
    clearTimeout(timer);
  }

  /** Kills at once (a start that failed). */
  kill(): void {
    this.#child.kill('SIGKILL');
  }
}
