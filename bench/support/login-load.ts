/**
 * Logins per second: a fixed number of clients in flight, each in a loop of connect, authenticate,
 * bind and initial presence, for a fixed time after a warm-up. A login counts once it is bound
 * and its presence sent; its stream is then closed in the background (at most
 * `CLOSES_PER_WORKER` pending per worker), so that a server which lingers before releasing a
 * closed stream (ejabberd waits 100 ms for late stanzas) is measured on its logins, not on that wait.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { AccountKind, BenchTarget } from './bench-target.js';
import type { SaslMechanismName } from './load-client.js';
import { LatencyRecorder, resultLine, round, snapshot, usageBetween, type ResultLine, type Snapshot } from './measure.js';

export interface LoginLoadOptions {
  /** Name printed in the result line; default `login`. */
  scenario?: string;
  /** `user<i>` or `ruser<i>` accounts; default `plain`. */
  account?: AccountKind;
  /** Roster get before initial presence (the `roster-100` scenario). */
  rosterGet?: boolean;
  /** STARTTLS logins offer the TLS session of the account's previous login (`login-tls-reconnect`). */
  resumeTls?: boolean;
  /** Logins in flight at any moment. */
  concurrency: number;
  /** Accounts to cycle through (`user0..`). */
  accounts: number;
  mechanism: SaslMechanismName;
  warmupSeconds: number;
  durationSeconds: number;
}

/** Cycles per worker at most: a guard on the loop besides the clock. */
const MAX_CYCLES_PER_WORKER = 10_000_000;
/** Closes a worker may leave pending before it waits for one (bounds the sockets held open). */
const CLOSES_PER_WORKER = 4;
/** Stop early when the server keeps refusing: the figure would be meaningless. */
const MAX_ERRORS = 1_000;

interface LoginRun {
  measureFrom: number;
  measureTo: number;
  completed: number;
  /** Measured logins whose TLS handshake resumed a session. */
  resumed: number;
  errors: number;
  firstError: string | undefined;
  latency: LatencyRecorder;
}

async function worker(target: BenchTarget, options: LoginLoadOptions, index: number, run: LoginRun): Promise<void> {
  const closing = new Set<Promise<void>>();
  const failed = (error: unknown): void => {
    run.errors++;
    run.firstError ??= (error as Error).message;
  };
  for (let cycle = 0; cycle < MAX_CYCLES_PER_WORKER; cycle++) {
    const startedAt = performance.now();
    if (startedAt >= run.measureTo || run.errors >= MAX_ERRORS) break;
    try {
      const client = await target.login((index + cycle * options.concurrency) % options.accounts, options.mechanism, options);
      const boundAt = performance.now();
      if (boundAt >= run.measureFrom && boundAt <= run.measureTo) {
        run.completed++;
        if (client.tlsResumed) run.resumed++;
        run.latency.record(boundAt - startedAt);
      }
      const closed: Promise<void> = client.close().catch(failed).finally(() => closing.delete(closed));
      closing.add(closed);
      if (closing.size >= CLOSES_PER_WORKER) await Promise.race(closing);
    } catch (error) {
      failed(error);
    }
  }
  await Promise.all(closing);
}

/**
 * One login of every account before the clock starts, so the client-side SCRAM key cache is
 * complete (each account has its own salt) and the measured window pays no PBKDF2 on this side;
 * with `resumeTls`, so that each account holds a TLS session ticket to offer.
 */
async function prime(target: BenchTarget, options: LoginLoadOptions): Promise<void> {
  // Resuming logins need every account's first ticket too.
  const missing = Array.from({ length: options.accounts }, (_, i) => i)
    .filter((i) => options.resumeTls === true || !target.hasKeys(i, options.mechanism, options.account));
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < missing.length) await (await target.login(missing[next++]!, options.mechanism, options)).close();
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, missing.length) }, lane));
}

/** Runs the scenario and returns its result line (`logins/s`, p50/p99 of connect-to-bound in ms). */
export async function runLoginLoad(target: BenchTarget, options: LoginLoadOptions): Promise<ResultLine> {
  await prime(target, options);
  const now = performance.now();
  const run: LoginRun = {
    measureFrom: now + options.warmupSeconds * 1000,
    measureTo: now + (options.warmupSeconds + options.durationSeconds) * 1000,
    completed: 0,
    resumed: 0,
    errors: 0,
    firstError: undefined,
    latency: new LatencyRecorder(),
  };
  const workers = Array.from({ length: options.concurrency }, (_, i) => worker(target, options, i, run));
  const [start, end] = await measureWindow(target, run);
  await Promise.all(workers);
  const usage = usageBetween(start, end);
  const percentiles = run.latency.percentiles();
  return resultLine(
    options.scenario ?? 'login',
    { value: round(run.completed / options.durationSeconds, 1), unit: 'logins/s', p50: percentiles?.p50, p99: percentiles?.p99 },
    usage,
    {
      mechanism: options.mechanism, concurrency: options.concurrency, durationS: options.durationSeconds,
      logins: run.completed, errors: run.errors, ...(run.firstError === undefined ? {} : { firstError: run.firstError }),
      accounts: options.accounts, latency: options.rosterGet === true ? 'connect to roster result' : 'connect to bound',
      ...(options.resumeTls === true ? { resumedShare: round(run.resumed / Math.max(1, run.completed), 3) } : {}),
      serverCpuMsPerLogin: round((usage.serverCpu * options.durationSeconds * 1000) / Math.max(1, run.completed), 3),
    },
  );
}

/** Server and client clocks at the start and the end of the measured window. */
async function measureWindow(target: BenchTarget, run: LoginRun): Promise<[Snapshot, Snapshot]> {
  await sleep(Math.max(0, run.measureFrom - performance.now()));
  const start = await snapshot(target);
  await sleep(Math.max(0, run.measureTo - performance.now()));
  const end = await snapshot(target);
  return [start, end];
}
