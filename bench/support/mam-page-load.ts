/**
 * MAM (XEP-0313) page latency on a large archive: the accounts whose archives `archive-prefill.ts`
 * filled (10,000 messages each) log in, and a few queries at a time (closed loop) ask random ones
 * of them for a page of 50, either the first page (forwards from the start, RSM `<max/>` only) or
 * the last one (RSM `<before/>`, what a client opening a conversation asks for). The time is from
 * sending the query to its `<fin/>`, all 50 results received before it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchTarget } from './bench-target.js';
import type { LoadClient, SaslMechanismName } from './load-client.js';
import { LatencyRecorder, resultLine, round, snapshot, usageBetween, type ResultLine } from './measure.js';
import { attributeOf } from './stanza-splitter.js';

export const NS_MAM = 'urn:xmpp:mam:2';
const NS_RSM = 'http://jabber.org/protocol/rsm';

export interface MamPageOptions {
  scenario: string;
  /** Accounts `user<firstUser>..`, `users` of them, each with a prefilled archive. */
  firstUser: number;
  users: number;
  pageSize: number;
  /** Queries in flight at once. */
  inFlight: number;
  mechanism: SaslMechanismName;
  warmupSeconds: number;
  durationSeconds: number;
}

type Page = 'first' | 'last';

interface PageRun {
  measuring: boolean;
  latency: Record<Page, LatencyRecorder>;
  short: number;
  failure: string | undefined;
}

const LOGIN_BATCH = 50;
let queries = 0;

/** One MAM query; resolves to the number of results before `<fin/>`. */
export async function queryPage(client: LoadClient, page: Page, size: number): Promise<number> {
  const id = `mam${queries++}`;
  const set = page === 'first' ? `<max>${size}</max>` : `<max>${size}</max><before/>`;
  client.send(`<iq type='set' id='${id}'><query xmlns='${NS_MAM}' queryid='${id}'><set xmlns='${NS_RSM}'>${set}</set></query></iq>`);
  let results = 0;
  for (;;) {
    const received = await client.next();
    if (received.name === 'message' && (received.xml.includes(`queryid='${id}'`) || received.xml.includes(`queryid="${id}"`))) {
      results++;
      continue;
    }
    if (received.name === 'iq' && attributeOf(received.xml, 'id') === id) {
      if (attributeOf(received.xml, 'type') !== 'result' || !received.xml.includes('<fin')) throw new Error(`MAM query failed: ${received.xml.slice(0, 400)}`);
      return results;
    }
  }
}

async function loginAll(target: BenchTarget, options: MamPageOptions): Promise<LoadClient[]> {
  const clients: LoadClient[] = [];
  try {
    for (let first = 0; first < options.users; first += LOGIN_BATCH) {
      const batch = await Promise.all(Array.from({ length: Math.min(LOGIN_BATCH, options.users - first) }, (_, i) => target.login(options.firstUser + first + i, options.mechanism)));
      clients.push(...batch);
    }
    await Promise.all(clients.map((client, i) => client.roundTrip(`ready-${i}`)));
  } catch (error) {
    for (const client of clients) client.destroy();
    throw error;
  }
  return clients;
}

/** A worker of the closed loop: its own share of the accounts, a random one and a random page each time. */
async function worker(clients: readonly LoadClient[], options: MamPageOptions, run: PageRun, until: () => boolean): Promise<void> {
  while (!until() && run.failure === undefined) {
    const client = clients[Math.floor(Math.random() * clients.length)]!;
    const page: Page = Math.random() < 0.5 ? 'first' : 'last';
    const startedAt = performance.now();
    const results = await queryPage(client, page, options.pageSize);
    const ms = performance.now() - startedAt;
    if (!run.measuring) continue;
    if (results !== options.pageSize) run.short++;
    run.latency[page].record(ms);
  }
}

/** Runs the scenario: two result lines, the first page and the last page; value = p50 ms. */
export async function runMamPageLoad(target: BenchTarget, options: MamPageOptions): Promise<ResultLine[]> {
  const clients = await loginAll(target, options);
  const run: PageRun = { measuring: false, latency: { first: new LatencyRecorder(), last: new LatencyRecorder() }, short: 0, failure: undefined };
  let stopping = false;
  const share = Math.ceil(clients.length / options.inFlight);
  const workers = Array.from({ length: options.inFlight }, (_, w) => worker(clients.slice(w * share, (w + 1) * share), options, run, () => stopping)
    .catch((error: unknown) => {
      run.failure ??= (error as Error).message;
    }));
  await sleep(options.warmupSeconds * 1000);
  const start = await snapshot(target);
  run.measuring = true;
  await sleep(options.durationSeconds * 1000);
  run.measuring = false;
  const end = await snapshot(target);
  stopping = true;
  await Promise.all(workers);
  await Promise.allSettled(clients.map((client) => client.close()));
  const usage = usageBetween(start, end);
  const total = run.latency.first.count + run.latency.last.count;
  return (['first', 'last'] as const).map((page) => {
    const percentiles = run.latency[page].percentiles();
    return resultLine(page === 'first' ? options.scenario : `${options.scenario}-last`, {
      value: round(percentiles?.p50 ?? Number.NaN, 3), unit: 'ms', p50: percentiles?.p50, p99: percentiles?.p99,
    }, usage, {
      mechanism: options.mechanism, users: options.users, firstUser: options.firstUser, pageSize: options.pageSize, inFlight: options.inFlight, durationS: options.durationSeconds,
      page: page === 'first' ? 'first page forwards (<max/>)' : 'last page (<before/>)', queries: run.latency[page].count,
      pagesPerSecond: round(total / usage.seconds, 1), shortPages: run.short,
      ...(run.failure === undefined ? {} : { failure: run.failure }),
    });
  });
}
