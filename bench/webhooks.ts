/**
 * Webhook delivery latency under load (issue 17): MUC-50 at full speed (50 occupants, 10 senders,
 * closed loop, `support/muc-load.ts`) while churn clients keep joining and leaving another room,
 * so that occupancy webhooks (`occupant.joined` / `occupant.left`) flow throughout. A receiver on
 * 127.0.0.1 in this process verifies every request with the `standardwebhooks` package and times
 * it from the event's `timestamp` (the server's clock, the same machine) to its arrival.
 *
 * Modes, each with a fresh server (pinned to core 0 when possible; this process on core 1):
 * - `off`: no webhooks (the baseline MUC-50 figures, with the same churn);
 * - `occupancy`: `http_webhooks` on every host with the shipped limits;
 * - `messages` (with --messages): also `message.posted` for every groupchat message;
 * - `plane`: the admin plane's cost (issue 17's goal: under 5 %): `occupancy` plus
 *   `http_openmetrics`, which this process scrapes every 5 s (`--scrape-every`);
 * - `metrics`: `http_openmetrics` alone, scraped the same way (which half of `plane` costs what).
 * Prints one JSON line per run, with the server's CPU per delivered groupchat stanza (its process
 * CPU time over the window ÷ deliveries: on a machine busy with other work this moves far less
 * than deliveries/s) and the 1-minute load average before and after.
 * `--pairs N` runs the modes N times, alternating (off, plane, off, plane, …), and ends with one
 * summary line per mode: median and range of each figure, and the median of the per-pair ratios.
 * Issue 17's measurement: `--modes off,plane --pairs 5`. `--churn-only` leaves MUC-50 out and
 * reports the server's CPU per second for the churn, its webhooks and the scrapes alone: the
 * plane's absolute cost, which on a busy machine is steadier than a difference of two rates.
 * It also gives the webhooks' latency and how many TCP connections the server opened to the
 * receiver (a handful per run means keep-alive works; one per request would not).
 * Churn is paced: `--churn-rate` join+leave cycles per second in total (two occupancy events
 * each; 0 = as fast as the server answers), spread over `--churn` clients.
 * Run: npx tsc -p tsconfig.build.json && node node_modules/jiti/lib/jiti-cli.mjs bench/webhooks.ts
 *      [--duration 10] [--churn 5] [--churn-rate 50] [--messages] [--modes off,occupancy] [--pairs 1] [--scrape-every 5]
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, get, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { BENCH_MUC_DOMAIN, type ServerReady, type ServerStats } from './support/bench-protocol.js';
import { BenchTarget } from './support/bench-target.js';
import { placeProcesses } from './support/cpu-placement.js';
import type { LoadClient } from './support/load-client.js';
import { LatencyRecorder, round } from './support/measure.js';
import { runMucLoad } from './support/muc-load.js';
import type { ServerUnderTest } from './support/server-under-test.js';
import { withDeadline } from './support/server-process.js';
import { attributeOf } from './support/stanza-splitter.js';

const OCCUPANTS = 50;
const SENDERS = 10;
const CHURN_ROOM = `churn@${BENCH_MUC_DOMAIN}`;
const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');

type Mode = 'off' | 'occupancy' | 'messages' | 'plane' | 'metrics';

/** The webhook bench server (`webhooks-server.ts`) as a `ServerUnderTest`. */
class WebhookBenchServer implements ServerUnderTest {
  readonly kind = 'salon';
  exitReason: string | undefined;
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: AsyncIterator<string>;
  readonly #exited: Promise<void>;

  private constructor(child: ChildProcessWithoutNullStreams, lines: AsyncIterator<string>, readonly ready: ServerReady & { httpPort?: number }) {
    this.#child = child;
    this.#lines = lines;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('exit', (code, signal) => (this.exitReason = `server exited (code ${code}, signal ${signal})`));
  }

  static async start(users: number, core: number | undefined, env: Record<string, string>): Promise<WebhookBenchServer> {
    const jiti = join(dirname(createRequire(join(ROOT, 'package.json')).resolve('jiti/package.json')), 'lib', 'jiti-cli.mjs');
    // BENCH_SERVER_NODE_OPTIONS adds Node flags to the server process (e.g. `--cpu-prof`), as for support/server-process.ts.
    const extra = (process.env.BENCH_SERVER_NODE_OPTIONS ?? '').split(' ').filter((flag) => flag !== '');
    const args = [...extra, jiti, join(HERE, 'webhooks-server.ts'), '--users', String(users)];
    const child = core === undefined
      ? spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env } })
      : spawn('taskset', ['-c', String(core), process.execPath, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[server] ${chunk.toString('utf8')}`));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const first = await withDeadline(lines.next(), 60_000, 'server start-up');
    if (first.done === true) throw new Error('the server ended before listening');
    return new WebhookBenchServer(child, lines, JSON.parse(first.value) as ServerReady & { httpPort?: number });
  }

  async stats(): Promise<ServerStats> {
    this.#child.stdin.write('stats\n');
    const line = await withDeadline(this.#lines.next(), 60_000, 'server stats');
    if (line.done === true) throw new Error(this.exitReason ?? 'server output closed');
    return JSON.parse(line.value) as ServerStats;
  }

  async stop(): Promise<void> {
    if (this.exitReason !== undefined) return;
    this.#child.stdin.end();
    await this.#exited;
  }
}

/** Verifies and times every webhook; `churnOnly` keeps latencies of the churn room's events. */
class Receiver {
  readonly secret = `whsec_${randomBytes(32).toString('base64')}`;
  readonly latency = new LatencyRecorder();
  recording = false;
  received = 0;
  invalid = 0;
  max = 0;
  lastAt = 0;
  /** TCP connections the server opened to this receiver: more than a few means keep-alive is not reused. */
  connections = 0;
  readonly byType = new Map<string, number>();
  readonly #verifier = new Webhook(this.secret);
  readonly #server: Server;

  constructor() {
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const now = Date.now();
        response.writeHead(204).end();
        this.received++;
        this.lastAt = now;
        let payload: { type: string; timestamp: string; data: { room?: string } };
        try {
          payload = this.#verifier.verify(Buffer.concat(chunks).toString('utf8'), request.headers as Record<string, string>) as typeof payload;
        } catch {
          this.invalid++;
          return;
        }
        this.byType.set(payload.type, (this.byType.get(payload.type) ?? 0) + 1);
        if (!this.recording) return;
        const ms = now - Date.parse(payload.timestamp);
        this.latency.record(ms);
        this.max = Math.max(this.max, ms);
      });
    });
  }

  async listen(): Promise<string> {
    this.#server.on('connection', () => this.connections++);
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/hook`;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

/** One churn client: join, wait for the self-presence, leave, wait for the unavailable self-presence, again. */
async function churn(client: LoadClient, nick: string, running: () => boolean, counter: { cycles: number }, cycleMs: number): Promise<void> {
  const me = `${CHURN_ROOM}/${nick}`;
  let next = performance.now();
  while (running()) {
    // Paced: one cycle per `cycleMs` (0: as fast as the server answers).
    next += cycleMs;
    const wait = next - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    client.send(`<presence to='${me}'><x xmlns='http://jabber.org/protocol/muc'><history maxstanzas='0'/></x></presence>`);
    for (;;) {
      const { name, xml } = await client.next();
      if (name === 'presence' && attributeOf(xml, 'from') === me && attributeOf(xml, 'type') === undefined) break;
    }
    client.send(`<presence to='${me}' type='unavailable'/>`);
    for (;;) {
      const { name, xml } = await client.next();
      if (name === 'presence' && attributeOf(xml, 'from') === me && attributeOf(xml, 'type') === 'unavailable') break;
    }
    counter.cycles++;
  }
}

/** Reads /metrics as a Prometheus server would (the whole exposition, body read to the end); returns its size. */
function scrapeOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/metrics' }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => (response.statusCode === 200 ? resolve(bytes) : reject(new Error(`/metrics answered ${response.statusCode}`))));
    }).on('error', reject);
  });
}

/** Scrapes every `everyMs` until stopped; counts the scrapes. */
function startScraper(port: number, everyMs: number): { stop(): Promise<{ scrapes: number; bytes: number }> } {
  let scrapes = 0;
  let bytes = 0;
  let last: Promise<void> = Promise.resolve();
  const scrape = (): void => {
    last = scrapeOnce(port).then((size) => {
      scrapes++;
      bytes = size;
    });
  };
  scrape();
  const timer = setInterval(scrape, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await last;
      return { scrapes, bytes };
    },
  };
}

function envOf(mode: Mode, url: string, secret: string): Record<string, string> {
  if (mode === 'off') return {};
  if (mode === 'metrics') return { BENCH_METRICS: '1' };
  const webhooks = { BENCH_WEBHOOK_URL: url, BENCH_WEBHOOK_SECRET: secret, BENCH_WEBHOOK_MESSAGES: mode === 'messages' ? '1' : '0' };
  return mode === 'plane' ? { ...webhooks, BENCH_METRICS: '1' } : webhooks;
}

async function runMode(
  mode: Mode, durationSeconds: number, churners: number, churnRate: number, core: number | undefined, scrapeEveryMs: number, withMuc: boolean,
): Promise<Record<string, unknown>> {
  const receiver = new Receiver();
  const url = await receiver.listen();
  const server = await WebhookBenchServer.start(OCCUPANTS + churners, core, envOf(mode, url, receiver.secret));
  const target = new BenchTarget(server, 'none');
  const churnClients = await Promise.all(Array.from({ length: churners }, (_, i) => target.login(OCCUPANTS + i, 'PLAIN')));
  let churning = true;
  const counter = { cycles: 0 };
  try {
    receiver.recording = true;
    const cycleMs = churnRate === 0 ? 0 : (churners * 1000) / churnRate;
    const loops = churnClients.map((client, i) => churn(client, `c${i}`, () => churning, counter, cycleMs));
    const started = performance.now();
    const scraper = mode === 'plane' || mode === 'metrics' ? startScraper(server.ready.httpPort!, scrapeEveryMs) : undefined;
    const loadBefore = loadavg()[0]!;
    if (!withMuc) {
      // Churn only: the server's CPU per second for the occupancy events (and scrapes) alone.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const before = await server.stats();
      await new Promise((resolve) => setTimeout(resolve, durationSeconds * 1000));
      const after = await server.stats();
      const loadEnd = loadavg()[0]!;
      const scrapedAlone = await scraper?.stop();
      churning = false;
      await Promise.all(loops);
      const cpuMs = (after.cpuUser - before.cpuUser + after.cpuSystem - before.cpuSystem) / 1000;
      const wallS = (after.wallMs - before.wallMs) / 1000;
      await new Promise((resolve) => setTimeout(resolve, 500));
      const latency = receiver.latency.percentiles();
      return {
        mode, churnOnly: true, churnRateTarget: churnRate, serverCpuMsPerS: round(cpuMs / wallS, 2),
        churnCyclesPerS: round(counter.cycles / ((performance.now() - started) / 1000), 1),
        loadAvg1: { before: round(loadBefore, 2), after: round(loadEnd, 2) },
        ...(scrapedAlone === undefined ? {} : { scrapes: scrapedAlone.scrapes, metricsBytes: scrapedAlone.bytes }),
        webhooks: { received: receiver.received, invalid: receiver.invalid, connections: receiver.connections, p50Ms: latency?.p50, p99Ms: latency?.p99, maxMs: receiver.max },
      };
    }
    const line = await runMucLoad(target, { scenario: 'muc-50', occupants: OCCUPANTS, senders: SENDERS, mechanism: 'PLAIN', warmupSeconds: 1, durationSeconds });
    const loadAfter = loadavg()[0]!;
    const scraped = await scraper?.stop();
    churning = false;
    await Promise.all(loops);
    const churnSeconds = (performance.now() - started) / 1000;
    // Let deliveries still queued arrive (they are part of the distribution).
    while (mode !== 'off' && Date.now() - receiver.lastAt < 1000) await new Promise((resolve) => setTimeout(resolve, 200));
    receiver.recording = false;
    const webhook = receiver.latency.percentiles();
    // The server's CPU share over the window ÷ deliveries per second = CPU time per delivery.
    const cpuUsPerDelivery = line.value > 0 ? round((line.serverCpu * 1e6) / line.value, 2) : undefined;
    return {
      mode, churnRateTarget: churnRate,
      muc50: { stanzasPerS: line.value, p50Ms: line.p50, p99Ms: line.p99, serverCpu: line.serverCpu, cpuUsPerDelivery, errors: line.params.errors },
      loadAvg1: { before: round(loadBefore, 2), after: round(loadAfter, 2) },
      ...(scraped === undefined ? {} : { scrapes: scraped.scrapes, metricsBytes: scraped.bytes }),
      churnCyclesPerS: round(counter.cycles / churnSeconds, 1),
      webhooks: { received: receiver.received, invalid: receiver.invalid, byType: Object.fromEntries(receiver.byType), p50Ms: webhook?.p50, p99Ms: webhook?.p99, maxMs: receiver.max },
    };
  } finally {
    churning = false;
    await Promise.allSettled(churnClients.map((client) => client.close()));
    await server.stop();
    await receiver.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    duration: { type: 'string', default: '10' }, churn: { type: 'string', default: '5' }, messages: { type: 'boolean', default: false },
    'churn-rate': { type: 'string', default: '50' },
    'no-pin': { type: 'boolean', default: false }, modes: { type: 'string' },
    pairs: { type: 'string', default: '1' }, 'scrape-every': { type: 'string', default: '5' },
    'churn-only': { type: 'boolean', default: false },
  } });
  const placement = placeProcesses(!values['no-pin']);
  if (placement.note !== undefined) process.stderr.write(`${placement.note}\n`);
  const modes = (values.modes?.split(',') ?? ['off', 'occupancy', ...(values.messages ? ['messages'] : [])]) as Mode[];
  const rounds = Number(values.pairs);
  const results: Array<Record<string, unknown>> = [];
  for (let index = 0; index < rounds; index++) {
    for (const mode of modes) {
      process.stderr.write(`mode ${mode} (${index + 1}/${rounds})…\n`);
      const result = await runMode(mode, Number(values.duration), Number(values.churn), Number(values['churn-rate']), placement.serverCore, Number(values['scrape-every']) * 1000, !values['churn-only']);
      results.push({ ...result, round: index + 1 });
      process.stdout.write(`${JSON.stringify({ ...result, round: index + 1 })}\n`);
    }
  }
  if (rounds > 1 && !values['churn-only']) for (const line of summarise(results, modes)) process.stdout.write(`${JSON.stringify(line)}\n`);
}

interface RunFigures {
  mode: Mode;
  round: number;
  muc50: { stanzasPerS: number; cpuUsPerDelivery?: number };
  webhooks: { p99Ms?: number };
  loadAvg1: { before: number; after: number };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function spread(values: readonly number[]): { median: number; min: number; max: number } {
  return { median: round(median(values), 3), min: round(Math.min(...values), 3), max: round(Math.max(...values), 3) };
}

/**
 * One line per mode (median and range over its runs), and for each mode after the first its
 * cost against the first, taken pair by pair (runs of the same round, minutes apart at most) so
 * that a change in the machine's other load between rounds cancels out.
 */
function summarise(results: readonly Record<string, unknown>[], modes: readonly Mode[]): Array<Record<string, unknown>> {
  const runs = results as unknown as RunFigures[];
  const lines: Array<Record<string, unknown>> = [];
  const figure = (run: RunFigures | undefined, key: 'rate' | 'cpu'): number | undefined => (key === 'rate' ? run?.muc50.stanzasPerS : run?.muc50.cpuUsPerDelivery);
  for (const mode of modes) {
    const mine = runs.filter((run) => run.mode === mode);
    const p99s = mine.map((run) => run.webhooks.p99Ms).filter((value): value is number => value !== undefined);
    const summary: Record<string, unknown> = {
      summary: mode, runs: mine.length,
      stanzasPerS: spread(mine.map((run) => run.muc50.stanzasPerS)),
      cpuUsPerDelivery: spread(mine.map((run) => run.muc50.cpuUsPerDelivery ?? Number.NaN)),
      loadAvg1: spread(mine.flatMap((run) => [run.loadAvg1.before, run.loadAvg1.after])),
      ...(p99s.length === 0 ? {} : { webhookP99Ms: spread(p99s) }),
    };
    if (mode !== modes[0]) {
      const ratios = (key: 'rate' | 'cpu'): number[] => mine.flatMap((run) => {
        const base = figure(runs.find((other) => other.mode === modes[0] && other.round === run.round), key);
        const value = figure(run, key);
        return base === undefined || value === undefined ? [] : [value / base - 1];
      });
      summary.againstFirst = { mode: modes[0], cpuPerDeliveryChange: spread(ratios('cpu')), stanzasPerSChange: spread(ratios('rate')) };
    }
    lines.push(summary);
  }
  return lines;
}

main().catch((error: unknown) => {
  process.stderr.write(`webhooks bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
