/**
 * Memory per idle authenticated session: N clients log in (SASL, bind, initial presence) and stay
 * connected doing nothing; the server's RSS and heap growth over its idle baseline, both read
 * after a full garbage collection where the server can do one, divided by N.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerStats } from './bench-protocol.js';
import type { BenchTarget } from './bench-target.js';
import type { LoadClient, SaslMechanismName, TlsMode } from './load-client.js';
import { resultLine, round, snapshot, usageBetween, type ResultLine } from './measure.js';

export interface IdleLoadOptions {
  scenario: string;
  sessions: number;
  tls: TlsMode;
  mechanism: SaslMechanismName;
}

const LOGIN_BATCH = 100;
/** Time for the server to finish what the logins started (presence, timers) before reading memory. */
const SETTLE_MS = 2_000;
const KIB = 1024;

async function loginAll(target: BenchTarget, options: IdleLoadOptions): Promise<LoadClient[]> {
  const clients: LoadClient[] = [];
  try {
    for (let first = 0; first < options.sessions; first += LOGIN_BATCH) {
      const size = Math.min(LOGIN_BATCH, options.sessions - first);
      const batch = await Promise.allSettled(Array.from({ length: size }, (_, i) => target.login(first + i, options.mechanism, { tls: options.tls })));
      for (const outcome of batch) if (outcome.status === 'fulfilled') clients.push(outcome.value);
      const failed = batch.find((outcome) => outcome.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    }
    // Every session's initial presence has been handled once its round trip is answered.
    for (let first = 0; first < clients.length; first += LOGIN_BATCH) {
      await Promise.all(clients.slice(first, first + LOGIN_BATCH).map((client, i) => client.roundTrip(`idle-${first + i}`)));
    }
  } catch (error) {
    for (const client of clients) client.destroy();
    throw error;
  }
  return clients;
}

function perSession(before: number | undefined, after: number | undefined, sessions: number): number | undefined {
  return before === undefined || after === undefined ? undefined : round((after - before) / sessions / KIB, 1);
}

function memoryParams(baseline: ServerStats, loaded: ServerStats, sessions: number): Record<string, number> {
  const heap = perSession(baseline.heapUsed, loaded.heapUsed, sessions);
  return {
    baselineRssMiB: round(baseline.rss / KIB / KIB, 1),
    loadedRssMiB: round(loaded.rss / KIB / KIB, 1),
    ...(heap === undefined ? {} : { heapKiBPerSession: heap }),
    ...(loaded.fds === undefined ? {} : { fds: loaded.fds }),
  };
}

/** Runs the scenario: value = KiB of RSS per idle session. */
export async function runIdleLoad(target: BenchTarget, options: IdleLoadOptions): Promise<ResultLine> {
  await sleep(SETTLE_MS);
  const baseline = await target.stats(true);
  const start = await snapshot(target);
  const clients = await loginAll(target, options);
  const end = await snapshot(target);
  const loginSeconds = (end.wallMs - start.wallMs) / 1000;
  try {
    await sleep(SETTLE_MS);
    const loaded = await target.stats(true);
    const rss = perSession(baseline.rss, loaded.rss, options.sessions) ?? Number.NaN;
    return resultLine(options.scenario, { value: rss, unit: 'KiB/session' }, usageBetween(start, end), {
      sessions: options.sessions, tls: options.tls, mechanism: options.mechanism, loginSeconds: round(loginSeconds, 2),
      measure: 'RSS delta after GC / sessions', ...memoryParams(baseline, loaded, options.sessions),
    });
  } finally {
    for (let first = 0; first < clients.length; first += LOGIN_BATCH) {
      await Promise.allSettled(clients.slice(first, first + LOGIN_BATCH).map((client) => client.close()));
    }
  }
}
