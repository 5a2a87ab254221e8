/**
 * MUC fan-out: delivered groupchat stanzas per second and delivery latency for rooms of 10, 50 and
 * 200 occupants, against Salon in its own process (`muc-fanout-server.ts`, pinned to core 0 when
 * possible). Each occupant is a raw-socket client; `--senders` of them keep one message each in
 * flight (a closed loop: a sender sends again when its own reflection arrives), and every delivery
 * to every occupant is timed from the moment its message was sent. Prints one JSON line per room
 * size (the shape of `bench/README.md`).
 * Run: node node_modules/jiti/lib/jiti-cli.mjs bench/muc-fanout.ts [--sizes 10,50,200] [--duration 5]
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BENCH_DOMAIN, BENCH_PASSWORD, benchUsername, type ServerReady, type ServerStats } from './support/bench-protocol.js';
import { placeProcesses } from './support/cpu-placement.js';
import { LoadClient } from './support/load-client.js';
import { LatencyRecorder, resultLine, round, snapshot, usageBetween, type ResultLine } from './support/measure.js';
import { attributeOf } from './support/stanza-splitter.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const MUC_DOMAIN = `conference.${BENCH_DOMAIN}`;
const BODY = 'Hello! This is a benchmark groupchat message of a typical length, about eighty.';

/** The server child: ready line, `stats` answers, stop on stdin end. */
class ServerChild {
  readonly ready: ServerReady;
  readonly #lines: AsyncIterator<string>;
  readonly #stdin: NodeJS.WritableStream;

  private constructor(ready: ServerReady, lines: AsyncIterator<string>, stdin: NodeJS.WritableStream) {
    this.ready = ready;
    this.#lines = lines;
    this.#stdin = stdin;
  }

  static async start(users: number, core: number | undefined): Promise<ServerChild> {
    const jiti = join(dirname(createRequire(join(HERE, '..', 'package.json')).resolve('jiti/package.json')), 'lib', 'jiti-cli.mjs');
    const args = [jiti, join(HERE, 'muc-fanout-server.ts'), '--users', String(users)];
    const child = core === undefined
      ? spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] })
      : spawn('taskset', ['-c', String(core), process.execPath, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const first = await lines.next();
    if (first.done === true) throw new Error('the server process ended before listening');
    return new ServerChild(JSON.parse(first.value) as ServerReady, lines, child.stdin);
  }

  async stats(): Promise<ServerStats> {
    this.#stdin.write('stats\n');
    const line = await this.#lines.next();
    if (line.done === true) throw new Error('the server process closed its output');
    return JSON.parse(line.value) as ServerStats;
  }

  stop(): void {
    this.#stdin.end();
  }
}

class FanoutRun {
  readonly sentAt = new Map<string, { at: number; pending: number }>();
  readonly latency = new LatencyRecorder();
  sending = true;
  measuring = false;
  delivered = 0;
  errors = 0;
  readonly room: string;
  readonly occupants: number;
  #sequence = 0;

  constructor(room: string, occupants: number) {
    this.room = room;
    this.occupants = occupants;
  }

  send(sender: LoadClient, index: number): void {
    const id = `${index}.${this.#sequence++}`;
    this.sentAt.set(id, { at: performance.now(), pending: this.occupants });
    sender.send(`<message to='${this.room}' type='groupchat' id='${id}'><body>${BODY}</body></message>`);
  }

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

async function enterRoom(clients: LoadClient[], room: string): Promise<void> {
  for (const [index, client] of clients.entries()) {
    // No <x xmlns='…muc'/>: the room is created unlocked (no configuration round needed).
    client.send(`<presence to='${room}/u${index}'/>`);
    for (;;) {
      const { name, xml } = await client.next();
      if (name === 'presence' && xml.includes("code=\"110\"")) break;
      if (attributeOf(xml, 'type') === 'error') throw new Error(`join failed: ${xml}`);
    }
  }
  await Promise.all(clients.map((client, i) => client.roundTrip(`joined-${i}`)));
}

async function runSize(server: ServerChild, size: number, senders: number, durationSeconds: number): Promise<ResultLine> {
  const room = `fan${size}@${MUC_DOMAIN}`;
  const clients = await Promise.all(Array.from({ length: size }, (_, i) => LoadClient.login({
    host: '127.0.0.1', port: server.ready.port, domain: BENCH_DOMAIN, username: benchUsername(i), password: BENCH_PASSWORD,
    mechanism: 'PLAIN', tls: 'none',
  })));
  await enterRoom(clients, room);
  const run = new FanoutRun(room, size);
  const active = Math.min(senders, size);
  clients.forEach((client, index) => {
    client.onStanza = (xml, name) => {
      if (name !== 'message') return;
      const id = run.received(xml);
      if (id !== undefined && index < active && id.startsWith(`${index}.`) && run.sending) run.send(client, index);
    };
  });
  for (let i = 0; i < active; i++) run.send(clients[i]!, i);
  await sleep(1000);
  const start = await snapshot(server);
  const from = performance.now();
  run.measuring = true;
  await sleep(durationSeconds * 1000);
  run.measuring = false;
  const seconds = (performance.now() - from) / 1000;
  const end = await snapshot(server);
  run.sending = false;
  await sleep(500);
  await Promise.allSettled(clients.map((client) => client.close()));
  const percentiles = run.latency.percentiles();
  return resultLine(`muc-fanout-${size}`, { value: round(run.delivered / seconds, 1), unit: 'stanzas/s', p50: percentiles?.p50, p99: percentiles?.p99 },
    usageBetween(start, end), { occupants: size, senders: active, durationS: durationSeconds, delivered: run.delivered, errors: run.errors, undelivered: run.sentAt.size });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    sizes: { type: 'string', default: '10,50,200' }, senders: { type: 'string', default: '10' },
    duration: { type: 'string', default: '5' }, 'no-pin': { type: 'boolean', default: false },
  } });
  const sizes = values.sizes.split(',').map(Number);
  const placement = placeProcesses(!values['no-pin']);
  if (placement.note !== undefined) process.stderr.write(`${placement.note}\n`);
  const server = await ServerChild.start(Math.max(...sizes), placement.serverCore);
  try {
    for (const size of sizes) {
      process.stderr.write(`room of ${size} occupants…\n`);
      const line = await runSize(server, size, Number(values.senders), Number(values.duration));
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
  } finally {
    server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`muc-fanout failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
