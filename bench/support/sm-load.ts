/**
 * Stream management (XEP-0198) under load:
 * - `sm-resume`: clients with resumable sessions lose their TCP connection (no closing stream),
 *   K messages are sent to them while they are away, and they come back on a new connection:
 *   the figure is the time from the new TCP connect to `<resumed/>` plus the K queued messages,
 *   each delivered exactly once;
 * - `sm-hibernated-memory`: N sessions enable stream management and drop their connections; the
 *   server's memory growth per hibernated session over its idle baseline, after a full GC where
 *   the server can do one (as `idle-load.ts` measures connected sessions).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchTarget } from './bench-target.js';
import type { LoadClient, SaslMechanismName } from './load-client.js';
import { LatencyRecorder, resultLine, round, snapshot, usageBetween, type ResultLine } from './measure.js';
import type { SmClient } from './sm-client.js';
import { attributeOf } from './stanza-splitter.js';

export interface SmResumeOptions {
  scenario: string;
  /** Resuming clients at once, each with its own sender. */
  lanes: number;
  /** Messages queued for each client while it is away. */
  queued: number;
  mechanism: SaslMechanismName;
  durationSeconds: number;
}

/** Time for the server to see the dropped connection before messages are sent to the session. */
const AWAY_MS = 20;
const BODY = 'Sent while you were away: a benchmark message of a typical length, about eighty bytes.';

interface Lane {
  index: number;
  client: SmClient;
  sender: LoadClient;
  cycles: number;
}

interface ResumeRun {
  full: LatencyRecorder;
  resumed: LatencyRecorder;
  duplicates: number;
  failure: string | undefined;
}

async function openLane(target: BenchTarget, index: number, mechanism: SaslMechanismName): Promise<Lane> {
  const client = await target.smConnect(index * 2, mechanism);
  await client.bindAndEnable();
  await client.roundTrip(`ready-${index}`);
  const sender = await target.login(index * 2 + 1, mechanism);
  await sender.roundTrip(`ready-${index}`);
  return { index, client, sender, cycles: 0 };
}

/** Waits for the `count` messages of `cycle` on `client`; counts any message seen twice. */
async function redelivered(client: SmClient, prefix: string, count: number, run: ResumeRun): Promise<void> {
  const seen = new Set<string>();
  while (seen.size < count) {
    const received = await client.next();
    if (received.name !== 'message') continue;
    const id = attributeOf(received.xml, 'id') ?? '';
    if (!id.startsWith(prefix)) continue;
    if (seen.has(id)) run.duplicates++;
    seen.add(id);
  }
}

/** One cycle: cut, queue K messages, reconnect and resume; records the latencies. */
async function cycle(target: BenchTarget, lane: Lane, options: SmResumeOptions, run: ResumeRun): Promise<void> {
  const prefix = `l${lane.index}c${lane.cycles++}-`;
  lane.client.cut();
  await sleep(AWAY_MS);
  for (let k = 0; k < options.queued; k++) {
    lane.sender.send(`<message to='${lane.client.jid}' type='chat' id='${prefix}${k}'><body>${BODY}</body></message>`);
  }
  // Once this is answered the server has handled every message: they wait in the session's queue.
  await lane.sender.roundTrip(`${prefix}sent`);
  const startedAt = performance.now();
  const fresh = await target.smConnect(lane.index * 2, options.mechanism);
  try {
    await fresh.resume(lane.client);
    const resumedAt = performance.now();
    await redelivered(fresh, prefix, options.queued, run);
    const doneAt = performance.now();
    run.resumed.record(resumedAt - startedAt);
    run.full.record(doneAt - startedAt);
    fresh.ack();
  } catch (error) {
    fresh.destroy();
    throw error;
  }
  lane.client = fresh;
}

/** Runs `sm-resume`: value = resumptions/s over all lanes; p50/p99 = connect → resumed + K redelivered, ms. */
export async function runSmResumeLoad(target: BenchTarget, options: SmResumeOptions): Promise<ResultLine> {
  const lanes = await Promise.all(Array.from({ length: options.lanes }, (_, i) => openLane(target, i, options.mechanism)));
  const run: ResumeRun = { full: new LatencyRecorder(), resumed: new LatencyRecorder(), duplicates: 0, failure: undefined };
  // One unmeasured cycle per lane: the accounts' SCRAM keys and each server's first resumption are warm.
  await Promise.all(lanes.map((lane) => cycle(target, lane, options, { ...run, full: new LatencyRecorder(), resumed: new LatencyRecorder() })));
  const start = await snapshot(target);
  const deadline = performance.now() + options.durationSeconds * 1000;
  await Promise.all(lanes.map(async (lane) => {
    try {
      while (performance.now() < deadline && run.failure === undefined) await cycle(target, lane, options, run);
    } catch (error) {
      run.failure ??= `lane ${lane.index}: ${(error as Error).message}`;
    }
  }));
  const end = await snapshot(target);
  for (const lane of lanes) {
    lane.client.close();
    await lane.sender.close().catch(() => lane.sender.destroy());
  }
  const usage = usageBetween(start, end);
  const full = run.full.percentiles();
  const resumed = run.resumed.percentiles();
  return resultLine(options.scenario, { value: round(run.full.count / usage.seconds, 1), unit: 'resumes/s', p50: full?.p50, p99: full?.p99 }, usage, {
    mechanism: options.mechanism, lanes: options.lanes, queued: options.queued, durationS: options.durationSeconds, resumptions: run.full.count,
    measure: 'TCP connect → SASL → <resumed/> → K queued messages received',
    ...(resumed === undefined ? {} : { resumedP50: round(resumed.p50, 3), resumedP99: round(resumed.p99, 3) }),
    duplicates: run.duplicates, ...(run.failure === undefined ? {} : { failure: run.failure }),
  });
}

export interface SmMemoryOptions {
  scenario: string;
  sessions: number;
  mechanism: SaslMechanismName;
}

const LOGIN_BATCH = 100;
/** Time for the server to finish what the logins (or the dropped connections) started. */
const SETTLE_MS = 2_000;
/** Hibernated sessions resumed after the measurement, to show they were kept. */
const RESUME_CHECK = 10;
const KIB = 1024;

function perSession(before: number | undefined, after: number | undefined, sessions: number): number | undefined {
  return before === undefined || after === undefined ? undefined : round((after - before) / sessions / KIB, 1);
}

/** Runs `sm-hibernated-memory`: value = KiB of RSS per hibernated session over the idle baseline. */
export async function runSmHibernatedMemory(target: BenchTarget, options: SmMemoryOptions): Promise<ResultLine> {
  await sleep(SETTLE_MS);
  const baseline = await target.stats(true);
  const start = await snapshot(target);
  const clients: SmClient[] = [];
  try {
    for (let first = 0; first < options.sessions; first += LOGIN_BATCH) {
      const batch = await Promise.all(Array.from({ length: Math.min(LOGIN_BATCH, options.sessions - first) }, async (_, i) => {
        const client = await target.smConnect(first + i, options.mechanism);
        clients.push(client);
        await client.bindAndEnable();
        await client.roundTrip(`idle-${first + i}`);
        return client;
      }));
      if (batch.length === 0) break;
    }
  } catch (error) {
    for (const client of clients) client.destroy();
    throw error;
  }
  const end = await snapshot(target);
  await sleep(SETTLE_MS);
  const connected = await target.stats(true);
  for (const client of clients) client.cut();
  await sleep(SETTLE_MS);
  const hibernated = await target.stats(true);
  // The sessions must really be kept: resume a few of them (new connections, measured no more).
  let resumedOk = 0;
  for (const old of clients.slice(0, RESUME_CHECK)) {
    const index = Number(/^user(\d+)@/.exec(old.jid)?.[1] ?? -1);
    try {
      const fresh = await target.smConnect(index, options.mechanism);
      await fresh.resume(old);
      resumedOk++;
      fresh.close();
    } catch {
      // counted as not kept
    }
  }
  const rss = perSession(baseline.rss, hibernated.rss, options.sessions) ?? Number.NaN;
  const heap = perSession(baseline.heapUsed, hibernated.heapUsed, options.sessions);
  const connectedHeap = perSession(baseline.heapUsed, connected.heapUsed, options.sessions);
  return resultLine(options.scenario, { value: rss, unit: 'KiB/session' }, usageBetween(start, end), {
    sessions: options.sessions, mechanism: options.mechanism, measure: 'RSS delta after GC / hibernated sessions',
    baselineRssMiB: round(baseline.rss / KIB / KIB, 1), connectedRssMiB: round(connected.rss / KIB / KIB, 1), hibernatedRssMiB: round(hibernated.rss / KIB / KIB, 1),
    connectedKiBPerSession: perSession(baseline.rss, connected.rss, options.sessions) ?? Number.NaN,
    ...(heap === undefined ? {} : { heapKiBPerSession: heap }), ...(connectedHeap === undefined ? {} : { connectedHeapKiBPerSession: connectedHeap }),
    ...(hibernated.fds === undefined ? {} : { fdsHibernated: hibernated.fds }),
    resumeCheck: `${resumedOk}/${Math.min(RESUME_CHECK, clients.length)}`,
    ...(resumedOk < Math.min(RESUME_CHECK, clients.length) ? { failure: 'hibernated sessions could not be resumed' } : {}),
  });
}
