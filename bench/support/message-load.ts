/**
 * 1:1 chat messages per second and their latency: N sender→receiver pairs, a fixed number of
 * messages in flight; each delivery makes its pair's sender send the next one (a closed loop, so
 * the server sets the pace). With one pair and one message in flight this is unloaded latency.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchTarget } from './bench-target.js';
import type { LoadClient, SaslMechanismName } from './load-client.js';
import { ElementScanner, type ScannedElement } from './element-scanner.js';
import { InFlightMessages } from './in-flight-messages.js';
import { LatencyRecorder, measureWindow, resultLine, round, usageBetween, type ResultLine } from './measure.js';

export interface MessageLoadOptions {
  /** Name printed in the result line. */
  scenario: string;
  pairs: number;
  /** Messages in flight over all pairs (rounded to a multiple of `pairs`, at least one per pair). */
  inFlight: number;
  mechanism: SaslMechanismName;
  warmupSeconds: number;
  durationSeconds: number;
  /** What the figure is: throughput (`msg/s`) or the median latency (`ms`). */
  figure: 'throughput' | 'latency';
}

/** Logins at once while the pairs connect. */
const LOGIN_BATCH = 50;
/** How long undelivered messages may take after sending stops before they count as lost. */
const DRAIN_MS = 5_000;
const BODY = 'Hello! This is a benchmark chat message of a typical length, about eighty bytes.';

/** Messages one pair may have in flight (a power of two above any `inFlight / pairs` used). */
const WINDOW = 1024;

interface Pair {
  index: number;
  sender: LoadClient;
  receiver: LoadClient;
  to: string;
}

class MessageRun {
  readonly latency = new LatencyRecorder();
  readonly inFlight: InFlightMessages;
  sending = true;
  measuring = false;
  delivered = 0;
  errors = 0;
  unexpected = 0;
  /** Deliveries that came before an earlier message of the same sender (each pair has one receiver). */
  outOfOrder = 0;
  readonly #lastSequence: Int32Array;
  failure: string | undefined;

  constructor(pairs: number) {
    this.inFlight = new InFlightMessages(pairs, WINDOW);
    this.#lastSequence = new Int32Array(pairs).fill(-1);
  }

  send(pair: Pair): void {
    const id = this.inFlight.send(pair.index, 1, performance.now());
    pair.sender.send(`<message to='${pair.to}' type='chat' id='${id}'><body>${BODY}</body></message>`);
  }

  /** A message the receiver got at `now`, straight from its bytes. */
  received(pair: Pair, element: ScannedElement, now: number): void {
    if (!element.is('message')) return;
    const slot = element.attribute('id') ? this.inFlight.find(element.source, element.valueStart, element.valueEnd) : -1;
    if (slot === -1 || this.inFlight.senderOf(slot) !== pair.index) {
      this.unexpected++;
      return;
    }
    const sequence = this.inFlight.sequenceOf(slot);
    if (sequence < this.#lastSequence[pair.index]!) this.outOfOrder++;
    else this.#lastSequence[pair.index] = sequence;
    this.inFlight.deliver(slot);
    if (this.measuring) {
      this.delivered++;
      this.latency.record(now - this.inFlight.sentAt(slot));
    }
    if (this.sending) this.send(pair);
  }

  fail(reason: string): void {
    this.failure ??= reason;
    this.sending = false;
  }
}

async function connectPairs(target: BenchTarget, options: MessageLoadOptions): Promise<Pair[]> {
  const clients: LoadClient[] = [];
  const count = options.pairs * 2;
  try {
    for (let first = 0; first < count; first += LOGIN_BATCH) {
      const batch = await Promise.allSettled(
        Array.from({ length: Math.min(LOGIN_BATCH, count - first) }, (_, i) => target.login(first + i, options.mechanism)),
      );
      for (const outcome of batch) if (outcome.status === 'fulfilled') clients.push(outcome.value);
      const failed = batch.find((outcome) => outcome.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    }
    // The round trip makes sure each receiver's initial presence is in effect (RFC 6121 §8.5.2.1.1:
    // chat to a bare JID goes to available resources only).
    await Promise.all(clients.map((client, i) => client.roundTrip(`ready-${i}`)));
  } catch (error) {
    for (const client of clients) client.destroy();
    throw error;
  }
  return Array.from({ length: options.pairs }, (_, index) => ({
    index,
    sender: clients[index * 2]!,
    receiver: clients[index * 2 + 1]!,
    to: target.bareJid(index * 2 + 1),
  }));
}

/** Receivers count deliveries straight from their bytes, reading the clock once per chunk. */
function wire(run: MessageRun, pairs: Pair[]): void {
  for (const pair of pairs) {
    let now = 0;
    const scanner = new ElementScanner((element) => run.received(pair, element, now));
    pair.receiver.readRaw((chunk) => {
      now = performance.now();
      scanner.write(chunk);
    });
    const senderScanner = new ElementScanner((element) => {
      if (element.is('message') && element.attributeEquals('type', 'error')) {
        run.errors++;
        run.fail(`error reply: ${element.text().slice(0, 400)}`);
      }
    });
    pair.sender.readRaw((chunk) => senderScanner.write(chunk));
    pair.receiver.onEnd = (reason) => run.fail(`receiver ${pair.index}: ${reason}`);
    pair.sender.onEnd = (reason) => run.fail(`sender ${pair.index}: ${reason}`);
  }
}

/** Waits until every message sent was delivered, for at most `DRAIN_MS`. */
async function drain(run: MessageRun): Promise<void> {
  const deadline = performance.now() + DRAIN_MS;
  while (run.inFlight.outstanding > 0 && performance.now() < deadline) await sleep(20);
}

/** Runs the scenario and returns its result line. */
export async function runMessageLoad(target: BenchTarget, options: MessageLoadOptions): Promise<ResultLine> {
  const pairs = await connectPairs(target, options);
  const perPair = Math.max(1, Math.round(options.inFlight / options.pairs));
  const run = new MessageRun(pairs.length);
  wire(run, pairs);
  for (const pair of pairs) for (let i = 0; i < perPair; i++) run.send(pair);
  const { start, end, seconds } = await measureWindow(target, run, options.warmupSeconds, options.durationSeconds);
  run.sending = false;
  await drain(run);
  const lost = run.inFlight.outstanding;
  await Promise.allSettled(pairs.flatMap((pair) => [pair.sender.close(), pair.receiver.close()]));
  const usage = usageBetween(start, end);
  const percentiles = run.latency.percentiles();
  const value = options.figure === 'throughput' ? round(run.delivered / seconds, 1) : round(percentiles?.p50 ?? Number.NaN, 3);
  return resultLine(
    options.scenario,
    { value, unit: options.figure === 'throughput' ? 'msg/s' : 'ms', p50: percentiles?.p50, p99: percentiles?.p99 },
    usage,
    {
      mechanism: options.mechanism, pairs: options.pairs, inFlight: perPair * options.pairs, durationS: options.durationSeconds,
      delivered: run.delivered, lost, errors: run.errors, unexpected: run.unexpected, outOfOrder: run.outOfOrder,
      ...(run.failure === undefined ? {} : { failure: run.failure }),
    },
  );
}
