/**
 * Every scenario of the benchmark suite: what server it needs (TLS, MUC), which accounts, and how
 * it runs. Each scenario gets a freshly started server, so none inherits another's state.
 */
import type { BenchAccounts } from './bench-data.js';
import type { BenchTarget } from './bench-target.js';
import { runChurnLoad } from './churn-load.js';
import { runIdleLoad } from './idle-load.js';
import { runLoginLoad } from './login-load.js';
import type { ResultLine } from './measure.js';
import { runMessageLoad } from './message-load.js';
import { runMucLoad } from './muc-load.js';
import type { ServerNeeds } from './server-under-test.js';

export const SCENARIO_NAMES = [
  'login', 'login-tls', 'roster-100', 'msg', 'msg-latency', 'muc-10', 'muc-50', 'muc-200', 'muc-50-5senders',
  'idle-1k', 'idle-5k', 'idle-1k-tls', 'idle-5k-tls', 'churn',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** The `bench:quick` subset. */
export const QUICK_SCENARIOS: readonly ScenarioName[] = ['login', 'msg', 'muc-50', 'idle-1k'];

export interface ScenarioContext {
  /** Overrides every measured window, in seconds. */
  durationSeconds: number | undefined;
  warmupSeconds: number;
  /** Shorter windows for a quick regression run. */
  quick: boolean;
}

export interface Scenario {
  needs: ServerNeeds;
  /** The accounts the scenario logs in with. */
  accounts: BenchAccounts;
  run(target: BenchTarget, context: ScenarioContext): Promise<ResultLine[]>;
}

/** Logins cycle through this many accounts; idle-5k needs the most plain ones. */
const LOGIN_ACCOUNTS = 500;
export const ROSTER_USERS = 1000;
export const ROSTER_SIZE = 100;

function seconds(context: ScenarioContext, normal: number, quick: number): number {
  return context.durationSeconds ?? (context.quick ? quick : normal);
}

function plain(count: number): BenchAccounts {
  return { plain: count, withRoster: 0, rosterSize: 0 };
}

const NO_EXTRAS = { tls: false, muc: false };

function login(name: ScenarioName, tls: boolean): Scenario {
  return {
    needs: { tls, muc: false },
    accounts: plain(LOGIN_ACCOUNTS),
    async run(target, context) {
      const mechanisms = tls ? (['SCRAM-SHA-1'] as const) : (['SCRAM-SHA-1', 'PLAIN'] as const);
      const lines: ResultLine[] = [];
      for (const mechanism of mechanisms) {
        lines.push(await runLoginLoad(target, {
          scenario: name, mechanism, concurrency: 50, accounts: LOGIN_ACCOUNTS,
          warmupSeconds: context.warmupSeconds, durationSeconds: seconds(context, 6, 3),
        }));
      }
      return lines;
    },
  };
}

function muc(name: ScenarioName, occupants: number, senders: number): Scenario {
  return {
    needs: { tls: false, muc: true },
    accounts: plain(occupants),
    run: async (target, context) => [await runMucLoad(target, {
      scenario: name, occupants, senders, mechanism: 'SCRAM-SHA-1', warmupSeconds: context.warmupSeconds, durationSeconds: seconds(context, 6, 3),
    })],
  };
}

function idle(name: ScenarioName, sessions: number, tls: boolean): Scenario {
  return {
    needs: { tls, muc: false },
    accounts: plain(sessions),
    run: async (target) => [await runIdleLoad(target, { scenario: name, sessions, tls: tls ? 'starttls' : 'none', mechanism: 'SCRAM-SHA-1' })],
  };
}

function messages(name: 'msg' | 'msg-latency'): Scenario {
  const loaded = name === 'msg';
  return {
    needs: NO_EXTRAS,
    accounts: plain(loaded ? 100 : 2),
    run: async (target, context) => [await runMessageLoad(target, {
      scenario: name, pairs: loaded ? 50 : 1, inFlight: loaded ? 400 : 1, mechanism: 'SCRAM-SHA-1',
      warmupSeconds: context.warmupSeconds, durationSeconds: seconds(context, loaded ? 10 : 5, 3), figure: loaded ? 'throughput' : 'latency',
    })],
  };
}

export const SCENARIOS: Readonly<Record<ScenarioName, Scenario>> = {
  login: login('login', false),
  'login-tls': login('login-tls', true),
  'roster-100': {
    needs: NO_EXTRAS,
    accounts: { plain: 0, withRoster: ROSTER_USERS, rosterSize: ROSTER_SIZE },
    run: async (target, context) => [await runLoginLoad(target, {
      scenario: 'roster-100', account: 'roster', rosterGet: true, mechanism: 'SCRAM-SHA-1', concurrency: 50, accounts: ROSTER_USERS,
      warmupSeconds: context.warmupSeconds, durationSeconds: seconds(context, 6, 3),
    })],
  },
  msg: messages('msg'),
  'msg-latency': messages('msg-latency'),
  'muc-10': muc('muc-10', 10, 10),
  'muc-50': muc('muc-50', 50, 10),
  'muc-200': muc('muc-200', 200, 10),
  'muc-50-5senders': muc('muc-50-5senders', 50, 5),
  'idle-1k': idle('idle-1k', 1000, false),
  'idle-5k': idle('idle-5k', 5000, false),
  'idle-1k-tls': idle('idle-1k-tls', 1000, true),
  'idle-5k-tls': idle('idle-5k-tls', 5000, true),
  churn: {
    needs: NO_EXTRAS,
    accounts: plain(LOGIN_ACCOUNTS),
    run: async (target, context) => [await runChurnLoad(target, {
      rounds: context.quick ? 3 : 10, loginsPerRound: 1000, concurrency: 50, accounts: LOGIN_ACCOUNTS, mechanism: 'SCRAM-SHA-1',
      messageSeconds: seconds(context, 5, 3),
    })],
  },
};

/** The accounts a set of scenarios needs together. */
export function accountsFor(names: readonly ScenarioName[]): BenchAccounts {
  const needed = names.map((name) => SCENARIOS[name].accounts);
  return {
    plain: Math.max(0, ...needed.map((a) => a.plain)),
    withRoster: Math.max(0, ...needed.map((a) => a.withRoster)),
    rosterSize: Math.max(0, ...needed.map((a) => a.rosterSize)),
  };
}
