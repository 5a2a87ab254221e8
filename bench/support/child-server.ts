/**
 * A server process the load generator started (Prosody, ejabberd): why it exited if it did, its
 * /proc figures while it runs, and a stop that asks first (SIGTERM) and insists after a grace period.
 */
import type { ChildProcess } from 'node:child_process';
import { readProcStats } from './proc-stats.js';
import type { ServerStats } from './bench-protocol.js';

export class ChildServer {
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  #exit: string | undefined;

  constructor(name: string, child: ChildProcess) {
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('exit', (code, signal) => (this.#exit = `${name} exited (code ${code}, signal ${signal})`));
  }

  /** Set once the process has exited. */
  get exitReason(): string | undefined {
    return this.#exit;
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
