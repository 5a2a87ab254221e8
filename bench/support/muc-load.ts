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
import { LatencyRecorder, resultLine, round, snapshot, usageBetween, type ResultLine } from './measure.js';
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

class FanoutRun {
  readonly sentAt = new Map<string, { at: number; pending: number }>();
  readonly latency = new LatencyRecorder();
  sending = true;
  measuring = false;
  delivered = 0;
  errors = 0;
  readonly #room: string;
  readonly #occupants: number;
  #sequence = 0;

  constructor(room: string, occupants: number) {
    this.#room = room;
    this.#occupants = occupants;
  }

  send(sender: LoadClient, index: number): void {
    const id = `${index}.${this.#sequence++}`;
    this.sentAt.set(id, { at: performance.now(), pending: this.#occupants });
    sender.send(`<message to='${this.#room}' type='groupchat' id='${id}'><body>${BODY}</body></message>`);
  }

  /** Counts a delivery; returns the message id when it was one of ours. */
  received(xml: string): string | undefined {
    if (attributeOf(xml, 'type') === 'error') {
      this.errors++;
      return undefined;
    }
    const id = attributeOf(xml, 'id');
    const entry = id === undefined ? undefined : this.sentAt.get(id);
    if (id === undefined || entry === undefined) return undefined;
    if (this.measuring) {
      this.delivered++;
      this.latency.record(performance.now() - entry.at);
    }
    if (--entry.pending === 0) this.sentAt.delete(id);
    return id;
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

function wire(run: FanoutRun, clients: LoadClient[], active: number): void {
  clients.forEach((client, index) => {
    client.onStanza = (xml, name) => {
      if (name !== 'message') return;
      const id = run.received(xml);
      if (id !== undefined && index < active && id.startsWith(`${index}.`) && run.sending) run.send(client, index);
    };
  });
}

/** Runs one room size and returns its result line (`stanzas/s` delivered). */
export async function runMucLoad(target: BenchTarget, options: MucLoadOptions): Promise<ResultLine> {
  const room = `fan${options.occupants}@${BENCH_MUC_DOMAIN}`;
  const clients = await loginAll(target, options.occupants, options.mechanism);
  try {
    await enterRoom(clients, room);
    const run = new FanoutRun(room, options.occupants);
    const active = Math.min(options.senders, options.occupants);
    wire(run, clients, active);
    for (let i = 0; i < active; i++) run.send(clients[i]!, i);
    await sleep(options.warmupSeconds * 1000);
    const start = await snapshot(target);
    const from = performance.now();
    run.measuring = true;
    await sleep(options.durationSeconds * 1000);
    run.measuring = false;
    const seconds = (performance.now() - from) / 1000;
    const end = await snapshot(target);
    run.sending = false;
    await sleep(500);
    const percentiles = run.latency.percentiles();
    return resultLine(options.scenario, { value: round(run.delivered / seconds, 1), unit: 'stanzas/s', p50: percentiles?.p50, p99: percentiles?.p99 },
      usageBetween(start, end), {
        occupants: options.occupants, senders: active, durationS: options.durationSeconds, delivered: run.delivered,
        errors: run.errors, undelivered: run.sentAt.size,
      });
  } finally {
    await Promise.allSettled(clients.map((client) => client.close()));
  }
}
