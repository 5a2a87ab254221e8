/**
 * How fast Salon starts as a test fixture (DESIGN.md §6), against the compiled package (dist/):
 *   a  in process: `startServer()` to the first accepted login, TLS off and on (cached certificate);
 *   b  `salon fixture` from spawn to the first accepted login;
 *   c  50 servers started and stopped in one process: handles and heap return to the baseline.
 * One JSON line per result on stdout; progress on stderr.
 * Run: npm run build && node --expose-gc node_modules/jiti/lib/jiti-cli.mjs bench/fixture-startup.ts [--help]
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  activeResources, inProcessRun, median, nodeRun, settledHeap, spawnRun, type Timing,
} from './support/fixture-runs.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The package's `salon` executable (package.json `bin`), as users run it. */
const CLI = join(ROOT, (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: { salon: string } }).bin.salon);
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
    const importOnly: number[] = [];
    const entry = JSON.stringify(join(dirname(CLI), 'salon.js'));
    for (let i = 0; i < runs; i++) {
      bare.push(await nodeRun(''));
      importOnly.push(await nodeRun(`await import(${entry});`));
    }
    const floors = { bareNodeSpawnMedian: Math.round(median(bare) * 10) / 10, importOnlySpawnMedian: Math.round(median(importOnly) * 10) / 10 };
    for (const tls of [false, true]) {
      process.stderr.write(`b: salon fixture spawned, tls ${tls}, ${runs} runs\n`);
      const timings = await repeat(runs, () => spawnRun(CLI, tls, env));
      emit(summary(`b-spawn-${tls ? 'tls' : 'plain'}`, timings, { tls, target: 200, ...floors }));
    }
  } finally {
    await rm(cache, { recursive: true, force: true });
  }
}

async function startStop(count: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i++) await inProcessRun(i % 2 === 0);
  return (performance.now() - started) / count;
}

const toMiB = (bytes: number): number => Math.round((bytes / MIB) * 100) / 100;

/**
 * Start/stop `servers` servers (each with a login), then as many again: handles must be back to
 * the baseline after each batch, and a leak would grow the heap by about as much in each batch.
 */
async function scenarioC(servers: number): Promise<void> {
  process.stderr.write(`c: 2 × ${servers} servers started and stopped, each with a login\n`);
  await startStop(10); // load every module, warm both TLS settings' code paths, make the test certificate
  const baseline = { heap: (await settledHeap()).heapUsed, resources: activeResources() };
  const msPerServer = await startStop(servers);
  const first = { heap: (await settledHeap()).heapUsed, resources: activeResources() };
  await startStop(servers);
  const second = { heap: (await settledHeap()).heapUsed, resources: activeResources() };
  emit({
    scenario: 'c-start-stop-many',
    value: toMiB(first.heap - baseline.heap),
    unit: `MiB heap growth after GC over the first ${servers} servers`,
    secondBatchGrowthMiB: toMiB(second.heap - first.heap),
    handlesBack: JSON.stringify(first.resources) === JSON.stringify(baseline.resources) && JSON.stringify(second.resources) === JSON.stringify(baseline.resources),
    resources: { baseline: baseline.resources, afterFirst: first.resources, afterSecond: second.resources },
    heapMiB: { baseline: toMiB(baseline.heap), afterFirst: toMiB(first.heap), afterSecond: toMiB(second.heap) },
    gcExposed: (globalThis as { gc?: unknown }).gc !== undefined,
    params: { servers, tlsEveryOther: true, msPerServer: Math.round(msPerServer) },
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
