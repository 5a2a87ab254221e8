/**
 * How fast Salon starts as a test fixture (DESIGN.md §6), against the compiled package (dist/):
 *   a  in process: `startServer()` to the first accepted login, TLS off and on (cached certificate);
 *   b  `salon fixture` from spawn to the first accepted login;
 *   c  50 servers started and stopped in one process: handles and heap return to the baseline.
 * One JSON line per result on stdout; progress on stderr.
 * Run: npm run build && node --expose-gc node_modules/jiti/lib/jiti-cli.mjs bench/fixture-startup.ts [--help]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  activeResources, bareNodeRun, inProcessRun, median, settledHeap, spawnRun, type Timing,
} from './support/fixture-runs.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const MIB = 1024 * 1024;

const USAGE = `Usage: node --expose-gc node_modules/jiti/lib/jiti-cli.mjs bench/fixture-startup.ts [flags]
  --scenarios LIST   a,b,c (default all)
  --runs N           in-process runs per TLS setting (default 25)
  --spawn-runs N     spawned runs per TLS setting (default 12)
  --servers N        servers started and stopped in c (default 50)`;

function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ ...line, date: new Date().toISOString(), node: process.version, cores: cpus().length, load1: loadavg()[0] })}\n`);
}

function summary(scenario: string, timings: readonly Timing[], params: Record<string, unknown>): Record<string, unknown> {
  const logins = timings.map((t) => t.loginMs);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    scenario, value: round(median(logins)), unit: 'ms to first login (median)',
    readyMedian: round(median(timings.map((t) => t.readyMs))),
    min: round(Math.min(...logins)), max: round(Math.max(...logins)), runs: timings.length, params,
  };
}

async function repeat(runs: number, run: () => Promise<Timing>): Promise<Timing[]> {
  await run(); // warm-up: module loading, the certificate, JIT
  const timings: Timing[] = [];
  for (let i = 0; i < runs; i++) timings.push(await run());
  return timings;
}

async function scenarioA(runs: number): Promise<void> {
  for (const tls of [false, true]) {
    process.stderr.write(`a: in process, tls ${tls}, ${runs} runs\n`);
    emit(summary(`a-in-process-${tls ? 'tls' : 'plain'}`, await repeat(runs, () => inProcessRun(tls)), { tls, target: 50 }));
  }
}

async function scenarioB(runs: number): Promise<void> {
  const cache = await mkdtemp(join(tmpdir(), 'salon-bench-cache-'));
  const env = { ...process.env, XDG_CACHE_HOME: cache };
  try {
    const bare: number[] = [];
    for (let i = 0; i < runs; i++) bare.push(await bareNodeRun());
    for (const tls of [false, true]) {
      process.stderr.write(`b: salon fixture spawned, tls ${tls}, ${runs} runs\n`);
      const timings = await repeat(runs, () => spawnRun(CLI, tls, env));
      emit(summary(`b-spawn-${tls ? 'tls' : 'plain'}`, timings, { tls, target: 200, bareNodeSpawnMedian: Math.round(median(bare) * 10) / 10 }));
    }
  } finally {
    await rm(cache, { recursive: true, force: true });
  }
}

async function scenarioC(servers: number): Promise<void> {
  process.stderr.write(`c: ${servers} servers started and stopped, each with a login\n`);
  await inProcessRun(true); // load every module and the test certificate before the baseline
  const beforeHeap = await settledHeap();
  const before = { resources: activeResources(), heap: beforeHeap };
  const started = performance.now();
  for (let i = 0; i < servers; i++) await inProcessRun(i % 2 === 0);
  const elapsedMs = performance.now() - started;
  const afterHeap = await settledHeap();
  const after = { resources: activeResources(), heap: afterHeap };
  emit({
    scenario: 'c-start-stop-many',
    value: Math.round(((after.heap.heapUsed - before.heap.heapUsed) / MIB) * 100) / 100,
    unit: 'MiB heap growth after GC',
    resourcesBefore: before.resources,
    resourcesAfter: after.resources,
    handlesBack: JSON.stringify(before.resources) === JSON.stringify(after.resources),
    heapBeforeMiB: Math.round((before.heap.heapUsed / MIB) * 10) / 10,
    heapAfterMiB: Math.round((after.heap.heapUsed / MIB) * 10) / 10,
    gcExposed: after.heap.collected,
    params: { servers, tlsEveryOther: true, msPerServer: Math.round(elapsedMs / servers) },
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenarios: { type: 'string', default: 'a,b,c' }, runs: { type: 'string', default: '25' },
      'spawn-runs': { type: 'string', default: '12' }, servers: { type: 'string', default: '50' }, help: { type: 'boolean' },
    },
  });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const scenarios = new Set(values.scenarios.split(','));
  if (scenarios.has('a')) await scenarioA(Number(values.runs));
  if (scenarios.has('b')) await scenarioB(Number(values['spawn-runs']));
  if (scenarios.has('c')) await scenarioC(Number(values.servers));
}

main().catch((error: unknown) => {
  process.stderr.write(`fixture-startup failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
