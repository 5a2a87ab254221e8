/**
 * Cold logins: right after a fresh start, N accounts log in once each (connect, SASL, bind,
 * initial presence) and stay online, `concurrency` logins in flight (the figure). Two more rounds
 * tell what the cold round pays for: N other accounts the server has not seen yet, on a process
 * that has run the login code (`unseen`), then the first N again (`warm`, everything in memory).
 *
 * The measured server must not have seen the accounts before the first round: the client-side
 * SCRAM keys (one PBKDF2 per account and salt) are primed beforehand on another, throwaway server
 * process over the same data (`primeColdLogins`), or restored from a `--key-cache` file.
 */
import type { BenchTarget } from './bench-target.js';
import type { LoadClient, SaslMechanismName } from './load-client.js';
import { LatencyRecorder, resultLine, round, snapshot, usageBetween, type ResultLine } from './measure.js';

export interface ColdLoginOptions {
  scenario: string;
  /** Accounts `user0..user<N-1>`, each logging in once per round. */
  accounts: number;
  concurrency: number;
  mechanism: SaslMechanismName;
}

interface RoundFigures {
  loginsPerSecond: number;
  serverCpuMsPerLogin: number;
  p50: number | undefined;
  p99: number | undefined;
  usage: ReturnType<typeof usageBetween>;
}

/** Logs every account of the three rounds in once and out again so the client holds its SCRAM keys. */
export async function primeColdLogins(target: BenchTarget, options: ColdLoginOptions): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < 2 * options.accounts) {
      const index = next++;
      if (target.hasKeys(index, options.mechanism)) continue;
      await (await target.login(index, options.mechanism)).close();
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
}

/** One round: every account logs in once and stays online; returns the sessions and the figures. */
async function loginRound(target: BenchTarget, options: ColdLoginOptions, first: number): Promise<{ clients: LoadClient[]; figures: RoundFigures }> {
  const clients: LoadClient[] = [];
  const latency = new LatencyRecorder();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < options.accounts) {
      const index = first + next++;
      const startedAt = performance.now();
      const client = await target.login(index, options.mechanism);
      latency.record(performance.now() - startedAt);
      clients.push(client);
    }
  };
  const start = await snapshot(target);
  const startedAt = process.hrtime.bigint();
  try {
    await Promise.all(Array.from({ length: options.concurrency }, lane));
  } catch (error) {
    for (const client of clients) client.destroy();
    throw error;
  }
  const end = await snapshot(target);
  markRound(first, startedAt);
  const usage = usageBetween(start, end);
  const serverCpuMicros = end.server.cpuUser - start.server.cpuUser + end.server.cpuSystem - start.server.cpuSystem;
  const percentiles = latency.percentiles();
  return {
    clients,
    figures: {
      loginsPerSecond: options.accounts / usage.seconds,
      serverCpuMsPerLogin: serverCpuMicros / 1000 / options.accounts,
      p50: percentiles?.p50,
      p99: percentiles?.p99,
      usage,
    },
  };
}

/**
 * With BENCH_ROUND_MARKS set, says on stderr when a round ran, in microseconds of the monotonic
 * clock that V8's CPU profiles use too: a server profile can then be cut to one round.
 */
function markRound(first: number, startedAt: bigint): void {
  if (process.env.BENCH_ROUND_MARKS === undefined) return;
  process.stderr.write(`round first=${first} from=${startedAt / 1000n} to=${process.hrtime.bigint() / 1000n}\n`);
}

async function closeAll(clients: readonly LoadClient[]): Promise<void> {
  for (let first = 0; first < clients.length; first += 100) {
    await Promise.allSettled(clients.slice(first, first + 100).map((client) => client.close()));
  }
}

/** Runs the scenario: value = cold logins/s; the server CPU per login and the warm round in `params`. */
export async function runColdLoginLoad(target: BenchTarget, options: ColdLoginOptions): Promise<ResultLine> {
  const cold = await loginRound(target, options, 0);
  await closeAll(cold.clients);
  const unseen = await loginRound(target, options, options.accounts);
  await closeAll(unseen.clients);
  const warm = await loginRound(target, options, 0);
  await closeAll(warm.clients);
  const { figures } = cold;
  return resultLine(options.scenario, { value: round(figures.loginsPerSecond, 1), unit: 'logins/s', p50: figures.p50, p99: figures.p99 }, figures.usage, {
    mechanism: options.mechanism, concurrency: options.concurrency, accounts: options.accounts,
    serverCpuMsPerLogin: round(figures.serverCpuMsPerLogin, 3),
    unseenLoginsPerS: round(unseen.figures.loginsPerSecond, 1), unseenServerCpuMsPerLogin: round(unseen.figures.serverCpuMsPerLogin, 3),
    warmLoginsPerS: round(warm.figures.loginsPerSecond, 1), warmServerCpuMsPerLogin: round(warm.figures.serverCpuMsPerLogin, 3),
    latency: 'connect to bound', stayOnline: true,
  });
}
