/**
 * PEP fan-out (XEP-0163 §4.3): one account publishes to a node of its own PEP service and every
 * contact's resource that asked for that node's notifications receives each item. The publisher
 * has `contacts` contacts (subscription `both`, `bench-data.ts`), all online with XEP-0115
 * capabilities announcing `urn:xmpp:avatar:metadata+notify` under one shared, correctly hashed
 * `ver`; they answer the server's disco#info query for it, which both servers make before
 * trusting the `ver`. The publisher keeps `inFlight` publishes outstanding (a closed loop: a
 * publish leaves the window once every contact has its notification), and every notification is
 * timed from the moment its publish was sent.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { BENCH_DOMAIN, BENCH_PASSWORD } from './bench-protocol.js';
import { PEP_OWNER, pepContactUsername } from './bench-data.js';
import type { BenchTarget } from './bench-target.js';
import { ElementScanner, type ScannedElement } from './element-scanner.js';
import { InFlightMessages } from './in-flight-messages.js';
import { LoadClient, type SaslMechanismName } from './load-client.js';
import { LatencyRecorder, measureWindow, resultLine, round, usageBetween, type ResultLine } from './measure.js';
import { ScramKeyCache } from './scram-client.js';
import { attributeOf } from './stanza-splitter.js';

export interface PepFanoutOptions {
  scenario: string;
  contacts: number;
  /** Publishes outstanding at once. */
  inFlight: number;
  mechanism: SaslMechanismName;
  warmupSeconds: number;
  durationSeconds: number;
}

const NODE = 'urn:xmpp:avatar:metadata';
const CAPS_NODE = 'https://salon.example/bench';
const DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const IDENTITY = { category: 'client', type: 'pc', name: 'Salon bench' };
const FEATURES = ['http://jabber.org/protocol/caps', DISCO_INFO, `${NODE}+notify`];
/** Publishes that may wait for deliveries at once (the ring of `InFlightMessages`). */
const WINDOW = 4096;
const LOGIN_BATCH = 50;
/** How long notifications of the last publishes may take once publishing stops. */
const DRAIN_MS = 5000;
/** How long the set-up waits for every contact to receive a first item (caps verified everywhere). */
const READY_TIMEOUT_MS = 15_000;
/** XEP-0060 §7.1.5: one item per node on both servers (Prosody's default for PEP, not Salon's). */
const PUBLISH_OPTIONS = "<publish-options><x xmlns='jabber:x:data' type='submit'>"
  + "<field var='FORM_TYPE' type='hidden'><value>http://jabber.org/protocol/pubsub#publish-options</value></field>"
  + "<field var='pubsub#max_items'><value>1</value></field></x></publish-options>";

/** Keys derived once per process for these accounts (the target's cache is for `user<i>`/`ruser<i>`). */
const keys = new ScramKeyCache();

/** XEP-0115 §5.1: the `ver` of the disco#info answer `discoAnswer` gives (no forms, ASCII only). */
export function benchCapsVer(): string {
  let text = `${IDENTITY.category}/${IDENTITY.type}//${IDENTITY.name}<`;
  for (const feature of [...FEATURES].sort()) text += `${feature}<`;
  return createHash('sha1').update(text, 'utf8').digest('base64');
}

const VER = benchCapsVer();
const CAPS_PRESENCE = `<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='${CAPS_NODE}' ver='${VER}'/></presence>`;

function discoAnswer(query: string): string | undefined {
  if (attributeOf(query, 'type') !== 'get' || !query.includes(DISCO_INFO)) return undefined;
  const id = attributeOf(query, 'id') ?? '';
  const from = attributeOf(query, 'from') ?? BENCH_DOMAIN;
  const node = /<query[^>]*\snode=["']([^"']*)["']/.exec(query)?.[1];
  const features = FEATURES.map((feature) => `<feature var='${feature}'/>`).join('');
  return `<iq type='result' id='${id}' to='${from}'><query xmlns='${DISCO_INFO}'${node === undefined ? '' : ` node='${node}'`}>`
    + `<identity category='${IDENTITY.category}' type='${IDENTITY.type}' name='${IDENTITY.name}'/>${features}</query></iq>`;
}

function publishStanza(itemId: string): string {
  return `<iq type='set' id='pub-${itemId}'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='${NODE}'>`
    + `<item id='${itemId}'><metadata xmlns='${NODE}'><info bytes='23456' height='96' width='96' type='image/png' id='${itemId}'/></metadata></item>`
    + `</publish>${PUBLISH_OPTIONS}</pubsub></iq>`;
}

class PepFanoutRun {
  readonly latency = new LatencyRecorder();
  readonly inFlight = new InFlightMessages(1, WINDOW);
  sending = true;
  measuring = false;
  delivered = 0;
  errors = 0;
  firstError: string | undefined;
  readonly #owner: LoadClient;
  readonly #contacts: number;

  constructor(owner: LoadClient, contacts: number) {
    this.#owner = owner;
    this.#contacts = contacts;
  }

  publish(): void {
    const id = this.inFlight.send(0, this.#contacts, performance.now());
    this.#owner.send(publishStanza(id));
  }

  /** A notification (or anything else) a contact received at `now`; true when it completed its publish. */
  received(element: ScannedElement, now: number): boolean {
    if (!element.is('message')) return false;
    if (element.attributeEquals('type', 'error')) {
      this.#error(element);
      return false;
    }
    const slot = this.#itemSlot(element);
    if (slot === -1) return false;
    if (this.measuring) {
      this.delivered++;
      this.latency.record(now - this.inFlight.sentAt(slot));
    }
    return this.inFlight.deliver(slot);
  }

  /** The publisher's own input: publish results, and any error. */
  ownerReceived(element: ScannedElement): void {
    if (element.attributeEquals('type', 'error')) this.#error(element);
  }

  #error(element: ScannedElement): void {
    this.errors++;
    this.firstError ??= element.text().slice(0, 400);
  }

  /** The in-flight slot of the `<item id='…'>` inside the notification, or -1. */
  #itemSlot(element: ScannedElement): number {
    const source = element.source;
    const item = source.indexOf('<item ', element.tagEnd);
    if (item === -1 || item > element.end) return -1;
    const idAt = source.indexOf('id=', item);
    if (idAt === -1 || idAt > element.end) return -1;
    const quote = source[idAt + 3]!;
    const valueEnd = source.indexOf(quote, idAt + 4);
    return this.inFlight.find(source, idAt + 4, valueEnd);
  }
}

function login(target: BenchTarget, username: string, mechanism: SaslMechanismName): Promise<LoadClient> {
  return LoadClient.login({
    host: '127.0.0.1', port: target.server.ready.port, domain: BENCH_DOMAIN, username, password: BENCH_PASSWORD, mechanism, tls: 'none', scramKeys: keys,
  });
}

/** Contacts come online in batches, each answering disco#info queries (`onStanza`) and announcing its caps. */
async function loginContacts(target: BenchTarget, count: number, mechanism: SaslMechanismName): Promise<LoadClient[]> {
  const clients: LoadClient[] = [];
  for (let first = 0; first < count; first += LOGIN_BATCH) {
    const batch = await Promise.all(Array.from({ length: Math.min(LOGIN_BATCH, count - first) }, (_, i) => login(target, pepContactUsername(first + i), mechanism)));
    for (const client of batch) {
      client.onStanza = (xml, name) => {
        const answer = name === 'iq' ? discoAnswer(xml) : undefined;
        if (answer !== undefined) client.send(answer);
      };
      client.send(CAPS_PRESENCE);
    }
    clients.push(...batch);
  }
  return clients;
}

/**
 * Publishes until one item reaches every contact: then each server has verified the caps and
 * knows every contact's interest. Items before that are not counted.
 */
async function awaitEveryContact(owner: LoadClient, contacts: LoadClient[]): Promise<number> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  for (let attempt = 0; performance.now() < deadline; attempt++) {
    const itemId = `ready-${attempt}`;
    const got = new Set<number>();
    contacts.forEach((client, index) => {
      client.onStanza = (xml, name) => {
        const answer = name === 'iq' ? discoAnswer(xml) : undefined;
        if (answer !== undefined) client.send(answer);
        if (name === 'message' && (xml.includes(`id='${itemId}'`) || xml.includes(`id="${itemId}"`))) got.add(index);
      };
    });
    owner.send(publishStanza(itemId));
    const until = performance.now() + 1000;
    while (got.size < contacts.length && performance.now() < until) await sleep(20);
    if (got.size === contacts.length) return attempt + 1;
  }
  throw new Error(`not every contact received a notification within ${READY_TIMEOUT_MS} ms`);
}

/** Every client reads raw bytes from here on: notifications are counted without building strings. */
function wire(run: PepFanoutRun, owner: LoadClient, contacts: LoadClient[]): void {
  const ownerScanner = new ElementScanner((element) => run.ownerReceived(element));
  owner.readRaw((chunk) => ownerScanner.write(chunk));
  for (const client of contacts) {
    let now = 0;
    const scanner = new ElementScanner((element) => {
      if (run.received(element, now) && run.sending) run.publish();
    });
    client.readRaw((chunk) => {
      now = performance.now();
      scanner.write(chunk);
    });
  }
}

/** Runs the fan-out and returns its result line (notifications/s delivered); none for ejabberd (no PEP set up there). */
export async function runPepFanoutLoad(target: BenchTarget, options: PepFanoutOptions): Promise<ResultLine[]> {
  if (target.server.kind === 'ejabberd') {
    process.stderr.write(`ejabberd ${options.scenario}: skipped (the bench does not configure ejabberd's mod_pubsub)\n`);
    return [];
  }
  const owner = await login(target, PEP_OWNER, options.mechanism);
  const contacts: LoadClient[] = [];
  try {
    await owner.roundTrip('owner-online');
    contacts.push(...await loginContacts(target, options.contacts, options.mechanism));
    const readyAfter = await awaitEveryContact(owner, contacts);
    await Promise.all([owner, ...contacts].map((client, i) => client.roundTrip(`quiet-${i}`)));
    const run = new PepFanoutRun(owner, options.contacts);
    wire(run, owner, contacts);
    for (let i = 0; i < options.inFlight; i++) run.publish();
    const { start, end, seconds } = await measureWindow(target, run, options.warmupSeconds, options.durationSeconds);
    run.sending = false;
    // Publishes still in flight get their notifications meanwhile; any missing after that were lost.
    for (let waited = 0; run.inFlight.outstanding > 0 && waited < DRAIN_MS; waited += 50) await sleep(50);
    const percentiles = run.latency.percentiles();
    const usage = usageBetween(start, end);
    const serverCpuSeconds = usage.serverCpu * seconds;
    return [resultLine(options.scenario, { value: round(run.delivered / seconds, 1), unit: 'notifications/s', p50: percentiles?.p50, p99: percentiles?.p99 },
      usage, {
        contacts: options.contacts, inFlight: options.inFlight, durationS: options.durationSeconds, delivered: run.delivered,
        publishesPerS: round(run.delivered / options.contacts / seconds, 1),
        serverCpuUsPerNotification: run.delivered === 0 ? 0 : round((serverCpuSeconds * 1e6) / run.delivered, 2),
        readyAfterPublishes: readyAfter, errors: run.errors, lostPublishes: run.inFlight.outstanding, node: NODE, maxItems: 1,
        ...(run.firstError === undefined ? {} : { firstError: run.firstError }),
      })];
  } finally {
    await Promise.allSettled([owner, ...contacts].map((client) => client.close()));
  }
}
