/**
 * MUC fan-out (XEP-0045 §7.4): delivered groupchat stanzas per second and delivery latency in one
 * room of N occupants. `senders` of them keep one message each in flight (a closed loop: a sender
 * sends again when its own reflection arrives), and every delivery to every occupant is timed
 * from the moment its message was sent.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { BENCH_MUC_DOMAIN } from './bench-protocol.js';
import type { BenchTarget } from './bench-target.js';
import type { LoadClient, SaslMechanismName } from './load-client.js';
import { ElementScanner, type ScannedElement } from './element-scanner.js';
import { InFlightMessages } from './in-flight-messages.js';
import { LatencyRecorder, measureWindow, resultLine, round, usageBetween, type ResultLine } from './measure.js';
import { attributeOf } from './stanza-splitter.js';

export interface MucLoadOptions {
  scenario: string;
  occupants: number;
  senders: number;
  mechanism: SaslMechanismName;
  warmupSeconds: number;
  durationSeconds: number;
}

const BODY = 'Hello! This is a benchmark groupchat message of a typical length, about eighty.';
const LOGIN_BATCH = 50;
/** XEP-0045 §7.2.3: the self-presence carries status code 110 (either quote style). */
const SELF_PRESENCE = /code=["']110["']/;
/** Messages one sender may have in flight, counting those some occupant has not received yet. */
const WINDOW = 4096;

class FanoutRun {
  readonly latency = new LatencyRecorder();
  readonly inFlight: InFlightMessages;
  sending = true;
  measuring = false;
  delivered = 0;
  errors = 0;
  readonly #room: string;
  readonly #occupants: number;

  constructor(room: string, occupants: number, senders: number) {
    this.#room = room;
    this.#occupants = occupants;
    this.inFlight = new InFlightMessages(senders, WINDOW);
  }

  send(sender: LoadClient, index: number): void {
    const id = this.inFlight.send(index, this.#occupants, performance.now());
    sender.send(`<message to='${this.#room}' type='groupchat' id='${id}'><body>${BODY}</body></message>`);
  }

  /** Counts a delivery that arrived at `now`; returns the sender whose message it was, or -1. */
  received(element: ScannedElement, now: number): number {
    if (!element.is('message')) return -1;
    if (element.attributeEquals('type', 'error')) {
      this.errors++;
      return -1;
    }
    if (!element.attribute('id')) return -1;
    const slot = this.inFlight.find(element.source, element.valueStart, element.valueEnd);
    if (slot === -1) return -1;
    if (this.measuring) {
      this.delivered++;
      this.latency.record(now - this.inFlight.sentAt(slot));
    }
    this.inFlight.deliver(slot);
    return this.inFlight.senderOf(slot);
  }
}

async function loginAll(target: BenchTarget, count: number, mechanism: SaslMechanismName): Promise<LoadClient[]> {
  const clients: LoadClient[] = [];
  for (let first = 0; first < count; first += LOGIN_BATCH) {
    const batch = await Promise.all(Array.from({ length: Math.min(LOGIN_BATCH, count - first) }, (_, i) => target.login(first + i, mechanism)));
    clients.push(...batch);
  }
  return clients;
}

/**
 * Joins one occupant after the other, each waiting for its self-presence. The servers run without
 * room locking (`muc_room_locking = false`), so the first MUC-aware join creates an open room.
 */
async function enterRoom(clients: LoadClient[], room: string): Promise<void> {
  for (const [index, client] of clients.entries()) {
    client.send(`<presence to='${room}/u${index}'><x xmlns='http://jabber.org/protocol/muc'><history maxstanzas='0'/></x></presence>`);
    for (;;) {
      const { name, xml } = await client.next();
      if (name === 'presence' && attributeOf(xml, 'from') === `${room}/u${index}` && SELF_PRESENCE.test(xml)) break;
      if (attributeOf(xml, 'type') === 'error') throw new Error(`join failed: ${xml}`);
    }
  }
  await Promise.all(clients.map((client, i) => client.roundTrip(`joined-${i}`)));
}

/**
 * Every occupant counts deliveries straight from the bytes it receives (`ElementScanner`); all
 * deliveries in one chunk arrived at the same moment, so the clock is read once per chunk.
 */
function wire(run: FanoutRun, clients: LoadClient[], active: number): void {
  clients.forEach((client, index) => {
    let now = 0;
    const scanner = new ElementScanner((element) => {
      const sender = run.received(element, now);
      if (sender === index && index < active && run.sending) run.send(client, index);
    });
    client.readRaw((chunk) => {
      now = performance.now();
      scanner.write(chunk);
    });
  });
}

/** Runs one room size and returns its result line (`stanzas/s` delivered). */
export async function runMucLoad(target: BenchTarget, options: MucLoadOptions): Promise<ResultLine> {
  const room = `fan${options.occupants}@${BENCH_MUC_DOMAIN}`;
  const clients = await loginAll(target, options.occupants, options.mechanism);
  try {
    await enterRoom(clients, room);
    const active = Math.min(options.senders, options.occupants);
    const run = new FanoutRun(room, options.occupants, active);
    wire(run, clients, active);
    for (let i = 0; i < active; i++) run.send(clients[i]!, i);
    const { start, end, seconds } = await measureWindow(target, run, options.warmupSeconds, options.durationSeconds);
    run.sending = false;
    await sleep(500);
    const percentiles = run.latency.percentiles();
    return resultLine(options.scenario, { value: round(run.delivered / seconds, 1), unit: 'stanzas/s', p50: percentiles?.p50, p99: percentiles?.p99 },
      usageBetween(start, end), {
        occupants: options.occupants, senders: active, durationS: options.durationSeconds, delivered: run.delivered,
        errors: run.errors, undelivered: run.inFlight.outstanding,
      });
  } finally {
    await Promise.allSettled(clients.map((client) => client.close()));
  }
}
