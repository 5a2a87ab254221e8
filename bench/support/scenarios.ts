/**
 * Every scenario of the benchmark suite: what server it needs (TLS, MUC), which accounts, and how
 * it runs. Each scenario gets a freshly started server, so none inherits another's state.
 */
import type { BenchAccounts } from './bench-data.js';
import type { BenchTarget } from './bench-target.js';
import { ARCHIVE_FIRST_USER, ARCHIVE_USERS } from './archive-prefill.js';
import { runArchiveBytes } from './archive-bytes-load.js';
import { runChurnLoad } from './churn-load.js';
import { primeColdLogins, runColdLoginLoad } from './cold-login-load.js';
import { runIdleLoad } from './idle-load.js';
import { runLoginLoad } from './login-load.js';
import type { ResultLine } from './measure.js';
import { runMessageLoad } from './message-load.js';
import { runMamPageLoad } from './mam-page-load.js';
import { runMucLoad } from './muc-load.js';
import { runPepFanoutLoad } from './pep-fanout-load.js';
import type { ServerNeeds } from './server-under-test.js';
import { runSmHibernatedMemory, runSmResumeLoad } from './sm-load.js';
import type { TlsMode } from './load-client.js';

export const SCENARIO_NAMES = [
  'login', 'login-tls', 'roster-100', 'msg', 'msg-latency', 'muc-10', 'muc-50', 'muc-200', 'muc-50-5senders',
  'idle-1k', 'idle-5k', 'idle-1k-tls', 'idle-5k-tls', 'churn', 'login-cold', 'login-tls-reconnect',
  // Archives and stream management, each with mod_mam/mod_smacks/mod_carbons on Prosody:
  'msg-mam', 'mam-page', 'archive-bytes', 'sm-resume', 'sm-hibernated-memory',
  // Personal eventing, with mod_pep on Prosody:
  'pep-fanout',
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
  /** Data made before the server starts (`archive-prefill.ts`): 1,000,000 archived messages. */
  prefill?: 'archive-1m';
  run(target: BenchTarget, context: ScenarioContext): Promise<ResultLine[]>;
  /** How clients connect; plain TCP when absent. */
  transport?: TlsMode;
  /**
   * Work on a throwaway server process over the same data before the measured server starts
   * (`login-cold` derives the client's SCRAM keys there, so the measured server sees each account
   * for the first time).
   */
  prime?(target: BenchTarget): Promise<void>;
}

/** Logins cycle through this many accounts; idle-5k needs the most plain ones. */
const LOGIN_ACCOUNTS = 500;
export const ROSTER_USERS = 1000;
/** `login-cold`: the figure, 1,000 accounts logging in once each after a fresh start. */
const COLD_ACCOUNTS = 1000;
const COLD_LOGIN = { scenario: 'login-cold', accounts: COLD_ACCOUNTS, concurrency: 50, mechanism: 'SCRAM-SHA-1' } as const;
export const ROSTER_SIZE = 100;
/** `pep-fanout`: the publisher's contacts, all online and interested. */
const PEP_CONTACTS = 200;

function seconds(context: ScenarioContext, normal: number, quick: number): number {
  return context.durationSeconds ?? (context.quick ? quick : normal);
}

function plain(count: number): BenchAccounts {
  return { plain: count, withRoster: 0, rosterSize: 0 };
}

const NO_EXTRAS = { tls: false, muc: false };
/** Archives, stream management and carbons on every server (`ServerNeeds.archiveAndSm`). */
const ARCHIVE_AND_SM = { tls: false, muc: false, archiveAndSm: true };

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

const archiveAndSmScenarios = {
  /** `msg` with every message archived for both parties. */
  'msg-mam': {
    needs: ARCHIVE_AND_SM,
    accounts: plain(100),
    run: async (target, context) => [await runMessageLoad(target, {
      scenario: 'msg-mam', pairs: 50, inFlight: 400, mechanism: 'SCRAM-SHA-1',
      warmupSeconds: context.warmupSeconds, durationSeconds: seconds(context, 10, 3), figure: 'throughput',
    })],
  },
  'mam-page': {
    needs: { ...ARCHIVE_AND_SM, prosodyArchiveSql: true },
    accounts: plain(ARCHIVE_FIRST_USER + ARCHIVE_USERS),
    prefill: 'archive-1m',
    run: (target, context) => runMamPageLoad(target, {
      scenario: 'mam-page', firstUser: ARCHIVE_FIRST_USER, users: ARCHIVE_USERS, pageSize: 50, inFlight: 4, mechanism: 'SCRAM-SHA-1',
      warmupSeconds: context.warmupSeconds, durationSeconds: seconds(context, 10, 3),
    }),
  },
  'archive-bytes': {
    needs: ARCHIVE_AND_SM,
    accounts: plain(100),
    run: async (target, context) => [await runArchiveBytes(target, {
      scenario: 'archive-bytes', pairs: 50, window: 8, messages: context.quick ? 5_000 : 20_000, mechanism: 'SCRAM-SHA-1',
    })],
  },
  'sm-resume': {
    needs: ARCHIVE_AND_SM,
    accounts: plain(20),
    run: async (target, context) => [await runSmResumeLoad(target, {
      scenario: 'sm-resume', lanes: 10, queued: 10, mechanism: 'SCRAM-SHA-1', durationSeconds: seconds(context, 6, 3),
    })],
  },
  'sm-hibernated-memory': {
    needs: ARCHIVE_AND_SM,
    accounts: plain(1000),
    run: async (target) => [await runSmHibernatedMemory(target, { scenario: 'sm-hibernated-memory', sessions: 1000, mechanism: 'SCRAM-SHA-1' })],
  },
} satisfies Record<string, Scenario>;

export const SCENARIOS: Readonly<Record<ScenarioName, Scenario>> = {
  ...archiveAndSmScenarios,
  login: login('login', false),
  'login-tls': { ...login('login-tls', true), transport: 'starttls' },
  'login-tls-reconnect': {
    ...login('login-tls-reconnect', true),
    transport: 'starttls',
    // Each account's client offers the TLS session its previous login got (a TLS 1.3 ticket).
    run: async (target, context) => [await runLoginLoad(target, {
      scenario: 'login-tls-reconnect', mechanism: 'SCRAM-SHA-1', concurrency: 50, accounts: LOGIN_ACCOUNTS, resumeTls: true,
      warmupSeconds: context.warmupSeconds, durationSeconds: seconds(context, 6, 3),
    })],
  },
  'login-cold': {
    needs: NO_EXTRAS,
    accounts: plain(2 * COLD_ACCOUNTS), // the cold round's, and the `unseen` round's
    prime: (target) => primeColdLogins(target, COLD_LOGIN),
    run: async (target) => [await runColdLoginLoad(target, COLD_LOGIN)],
  },
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
  'pep-fanout': {
    needs: { tls: false, muc: false, pep: true },
    accounts: { plain: 0, withRoster: 0, rosterSize: 0, pepContacts: PEP_CONTACTS },
    run: async (target, context) => runPepFanoutLoad(target, {
      scenario: 'pep-fanout', contacts: PEP_CONTACTS, inFlight: 8, mechanism: 'SCRAM-SHA-1',
      warmupSeconds: context.warmupSeconds, durationSeconds: seconds(context, 6, 3),
    }),
  },
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
    pepContacts: Math.max(0, ...needed.map((a) => a.pepContacts ?? 0)),
  };
}
