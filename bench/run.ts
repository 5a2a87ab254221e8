/**
 * The benchmark suite (bench/README.md): every scenario against Salon, Prosody or ejabberd, each on a freshly
 * started server pinned to core 0 while this load generator runs on core 1. Prints one JSON line
 * per result on stdout (progress and problems on stderr); exit 1 when a scenario failed.
 * Run: npm run build && node node_modules/jiti/lib/jiti-cli.mjs bench/run.ts [--help]
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { prefillProsodyArchive, prefillSalonArchive } from './support/archive-prefill.js';
import { BenchTarget } from './support/bench-target.js';
import { placeProcesses, type CpuPlacement } from './support/cpu-placement.js';
import { EJABBERD_DIFFERENCES, EjabberdServer } from './support/ejabberd-process.js';
import { round, toMiB, type ResultLine } from './support/measure.js';
import { PROSODY_DIFFERENCES, ProsodyServer } from './support/prosody-process.js';
import { parseRunFlags, RUN_USAGE, type RunFlags } from './support/run-flags.js';
import { prepareSalonData } from './support/salon-data.js';
import { accountsFor, SCENARIOS, type ScenarioName } from './support/scenarios.js';
import { ScramKeyCache } from './support/scram-client.js';
import { BenchServer } from './support/server-process.js';
import type { ServerUnderTest } from './support/server-under-test.js';

/** What each other server does differently from Salon, recorded in its result lines. */
const NOT_COMPARABLE: Partial<Record<ServerUnderTest['kind'], readonly string[]>> = { prosody: PROSODY_DIFFERENCES, ejabberd: EJABBERD_DIFFERENCES };

interface RunState {
  flags: RunFlags;
  placement: CpuPlacement;
  keys: ScramKeyCache;
  /** Salon's data directory. */
  data: string | undefined;
}

/** Data a scenario needs made before its server starts (once: later runs reuse it); reports how long it took. */
async function prefilled(state: RunState, name: ScenarioName): Promise<{ data: string | undefined; prosodyDir: string | undefined }> {
  if (SCENARIOS[name].prefill !== 'archive-1m') return { data: state.data, prosodyDir: state.flags.prosodyDir };
  const report = (seconds: number | undefined): void => {
    if (seconds !== undefined) process.stderr.write(`${state.flags.target} ${name}: archive of 1,000,000 messages written in ${seconds.toFixed(1)} s\n`);
  };
  if (state.flags.target === 'prosody') {
    const made = await prefillProsodyArchive(state.flags.prosodyDir!);
    report(made.seconds);
    return { data: state.data, prosodyDir: made.dir };
  }
  const made = await prefillSalonArchive(state.data!);
  report(made.seconds);
  return { data: made.data, prosodyDir: state.flags.prosodyDir };
}

async function startServer(state: RunState, name: ScenarioName): Promise<ServerUnderTest> {
  const { needs } = SCENARIOS[name];
  const core = state.placement.serverCore;
  const { data, prosodyDir } = await prefilled(state, name);
  if (state.flags.target === 'prosody') return ProsodyServer.start({ dir: prosodyDir!, core, ...needs });
  if (state.flags.target === 'ejabberd') return EjabberdServer.start({ dir: state.flags.ejabberdDir!, core, ...needs });
  return BenchServer.start({ users: 1, data, core, ...needs });
}

function decorate(line: ResultLine, state: RunState, server: ServerUnderTest, startRss: number): void {
  line.target = state.flags.target;
  if (state.flags.rep !== undefined) line.rep = state.flags.rep;
  line.loadAvg1 = round(loadavg()[0] ?? 0, 2);
  Object.assign(line.params, {
    cores: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', pinned: state.placement.serverCore !== undefined,
    serverStartRssMiB: toMiB(startRss), ...(state.flags.quick ? { quick: true } : {}),
    // The bench server takes `archive_sync` from this variable (bench-server.ts); recorded so results say which.
    ...(server.kind === 'salon' ? { archiveSync: process.env.BENCH_ARCHIVE_SYNC ?? 'ordered' } : {}),
    ...(NOT_COMPARABLE[server.kind] === undefined ? {} : { notComparable: NOT_COMPARABLE[server.kind]!.join('; ') }),
  });
}

/** A human-readable line per result, printed on stderr at the end. */
function summary(line: ResultLine): string {
  const mechanism = typeof line.params.mechanism === 'string' && line.scenario.startsWith('login') ? ` ${line.params.mechanism}` : '';
  const p99 = line.p99 === undefined ? '' : `  p99 ${line.p99.toFixed(1)} ms`;
  return `${`${line.scenario}${mechanism}`.padEnd(24)} ${String(line.value).padStart(10)} ${line.unit.padEnd(12)}${p99}`
    + `  (server CPU ${line.serverCpu.toFixed(2)}, load generator ${line.loadGeneratorCpu.toFixed(2)}, others ${(line.otherCpu ?? 0).toFixed(2)})`;
}

/** One scenario on a fresh server; false when it failed. */
async function runScenario(state: RunState, name: ScenarioName, printed: string[]): Promise<boolean> {
  if (SCENARIOS[name].prefill !== undefined && state.flags.target === 'ejabberd') {
    process.stderr.write(`ejabberd ${name}: skipped (the bench cannot fill ejabberd's archive)\n`);
    return true;
  }
  const scenario = SCENARIOS[name];
  const transport = scenario.transport ?? 'none';
  if (scenario.prime !== undefined) {
    process.stderr.write(`${state.flags.target} ${name}: priming on a throwaway server\n`);
    const throwaway = await startServer(state, name);
    try {
      await scenario.prime(new BenchTarget(throwaway, transport, state.keys));
    } finally {
      await throwaway.stop();
    }
  }
  process.stderr.write(`${state.flags.target} ${name}: starting server\n`);
  const server = await startServer(state, name);
  const target = new BenchTarget(server, transport, state.keys);
  let succeeded = true;
  try {
    const startRss = (await server.stats(true)).rss;
    const lines = await SCENARIOS[name].run(target, { durationSeconds: state.flags.duration, warmupSeconds: state.flags.warmup, quick: state.flags.quick });
    for (const line of lines) {
      decorate(line, state, server, startRss);
      process.stdout.write(`${JSON.stringify(line)}\n`);
      printed.push(summary(line));
      if ('failure' in line.params || 'firstError' in line.params) succeeded = false;
    }
  } catch (error) {
    succeeded = false;
    process.stderr.write(`${state.flags.target} ${name} failed: ${(error as Error).stack ?? (error as Error).message}\n`);
  } finally {
    const crashed = server.exitReason;
    if (crashed !== undefined) process.stderr.write(`the server crashed during ${name}: ${crashed}\n`);
    succeeded &&= crashed === undefined;
    await server.stop();
  }
  return succeeded;
}

async function withKeyCache<T>(file: string | undefined, work: (keys: ScramKeyCache) => Promise<T>): Promise<T> {
  const keys = new ScramKeyCache();
  if (file !== undefined) {
    // A missing or unreadable cache only means the keys are derived again.
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined) keys.restore(JSON.parse(text));
  }
  try {
    return await work(keys);
  } finally {
    if (file !== undefined) await writeFile(file, JSON.stringify(await keys.export()));
  }
}

async function runAll(flags: RunFlags, placement: CpuPlacement): Promise<boolean> {
  let temporary: string | undefined;
  let data = flags.data;
  if (flags.target === 'salon' && data === undefined) {
    temporary = await mkdtemp(join(tmpdir(), 'salon-bench-'));
    const prepared = await prepareSalonData(temporary, accountsFor(flags.scenarios));
    process.stderr.write(`salon import: ${prepared.summary}\n`);
    data = prepared.dataPath;
  }
  try {
    return await withKeyCache(flags.keyCache, async (keys) => {
      let succeeded = true;
      const printed: string[] = [];
      for (const name of flags.scenarios) succeeded = (await runScenario({ flags, placement, keys, data }, name, printed)) && succeeded;
      process.stderr.write(`\n${flags.target} (${cpus().length} cores, load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}):\n${printed.join('\n')}\n`);
      return succeeded;
    });
  } finally {
    if (temporary !== undefined) await rm(temporary, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    process.stdout.write(`${RUN_USAGE}\n`);
    return;
  }
  const flags = parseRunFlags(process.argv.slice(2));
  if (!flags.ok) {
    process.stderr.write(`${flags.error}\n${RUN_USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const placement = placeProcesses(flags.value.pin);
  if (placement.note !== undefined) process.stderr.write(`${placement.note}\n`);
  if (!(await runAll(flags.value, placement))) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
