/**
 * Leaks under churn: 1:1 message throughput, then rounds of logins and logouts, then throughput
 * again. After a full garbage collection the server's heap, handles and open descriptors must be
 * back at their baseline (taken after the first throughput run, every client gone), and the
 * second throughput must match the first.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerStats } from './bench-protocol.js';
import type { BenchTarget } from './bench-target.js';
import type { SaslMechanismName } from './load-client.js';
import { resultLine, round, snapshot, toMiB, usageBetween, type ResultLine } from './measure.js';
import { runMessageLoad } from './message-load.js';

export interface ChurnLoadOptions {
  rounds: number;
  loginsPerRound: number;
  concurrency: number;
  /** Accounts cycled through. */
  accounts: number;
  mechanism: SaslMechanismName;
  /** Seconds of each throughput measurement. */
  messageSeconds: number;
}

/** Time for closed connections to be released before reading handles. */
const SETTLE_MS = 1_000;

/** `count` logins and logouts, `concurrency` at a time; returns logins per second. */
async function loginRound(target: BenchTarget, options: ChurnLoadOptions, roundIndex: number): Promise<number> {
  let next = 0;
  const startedAt = performance.now();
  const lane = async (): Promise<void> => {
    while (next < options.loginsPerRound) {
      const index = (roundIndex * options.loginsPerRound + next++) % options.accounts;
      await (await target.login(index, options.mechanism)).close();
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  return options.loginsPerRound / ((performance.now() - startedAt) / 1000);
}

async function throughput(target: BenchTarget, options: ChurnLoadOptions, scenario: string): Promise<ResultLine> {
  return runMessageLoad(target, {
    scenario, pairs: 50, inFlight: 400, mechanism: options.mechanism, warmupSeconds: 1, durationSeconds: options.messageSeconds, figure: 'throughput',
  });
}

async function settled(target: BenchTarget): Promise<ServerStats> {
  await sleep(SETTLE_MS);
  return target.stats(true);
}

function compare(name: string, before: number | undefined, after: number | undefined): Record<string, number> {
  if (before === undefined || after === undefined) return {};
  return { [`${name}Baseline`]: before, [`${name}After`]: after };
}

/** Runs the scenario: value = throughput after the churn as a fraction of before. */
export async function runChurnLoad(target: BenchTarget, options: ChurnLoadOptions): Promise<ResultLine> {
  const before = await throughput(target, options, 'churn-before');
  const baseline = await settled(target);
  const start = await snapshot(target);
  const rates: number[] = [];
  for (let i = 0; i < options.rounds; i++) rates.push(await loginRound(target, options, i));
  const end = await snapshot(target);
  const after = await settled(target);
  const again = await throughput(target, options, 'churn-after');
  const heap = baseline.heapUsed === undefined || after.heapUsed === undefined ? {} : compare('heapMiB', toMiB(baseline.heapUsed), toMiB(after.heapUsed));
  return resultLine('churn', { value: round(again.value / before.value, 3), unit: 'after/before' }, usageBetween(start, end), {
    rounds: options.rounds, loginsPerRound: options.loginsPerRound, msgBefore: before.value, msgAfter: again.value,
    firstRoundLoginsPerS: round(rates[0] ?? 0, 1), lastRoundLoginsPerS: round(rates.at(-1) ?? 0, 1),
    ...heap, ...compare('rssMiB', toMiB(baseline.rss), toMiB(after.rss)),
    ...compare('fds', baseline.fds, after.fds), ...compare('handles', baseline.handles, after.handles),
    ...('failure' in before.params || 'failure' in again.params ? { failure: String(before.params.failure ?? again.params.failure) } : {}),
  });
}
