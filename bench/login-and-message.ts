/**
 * Logins per second, 1:1 messages per second and message latency against a Salon server running in
 * its own process. Prints one JSON line per result on stdout (progress and problems on stderr).
 * Run: node node_modules/jiti/lib/jiti-cli.mjs bench/login-and-message.ts [--help]
 */
import { cpus } from 'node:os';
import { parseBenchFlags, USAGE, type BenchFlags, type Scenario } from './support/bench-flags.js';
import { BenchTarget } from './support/bench-target.js';
import { placeProcesses, type CpuPlacement } from './support/cpu-placement.js';
import { runLoginLoad } from './support/login-load.js';
import { toMiB, type ResultLine } from './support/measure.js';
import { runMessageLoad } from './support/message-load.js';
import { BenchServer } from './support/server-process.js';
import type { ServerStats } from './support/bench-protocol.js';

const DEFAULT_SECONDS: Readonly<Record<Scenario, number>> = { login: 6, msg: 10, 'msg-latency': 5 };

async function runScenario(scenario: Scenario, target: BenchTarget, flags: BenchFlags, accounts: number): Promise<ResultLine[]> {
  const durationSeconds = flags.duration ?? DEFAULT_SECONDS[scenario];
  const common = { warmupSeconds: flags.warmup, durationSeconds };
  const [firstMechanism = 'SCRAM-SHA-1'] = flags.mechanisms;
  if (scenario === 'login') {
    const lines: ResultLine[] = [];
    for (const mechanism of flags.mechanisms) {
      lines.push(await runLoginLoad(target, { ...common, concurrency: flags.concurrency, accounts, mechanism }));
    }
    return lines;
  }
  const loaded = scenario === 'msg';
  return [await runMessageLoad(target, {
    ...common,
    scenario,
    pairs: loaded ? flags.pairs : 1,
    inFlight: loaded ? flags.inFlight : 1,
    mechanism: firstMechanism,
    figure: loaded ? 'throughput' : 'latency',
  })];
}

function machineParams(flags: BenchFlags, placement: CpuPlacement, idle: ServerStats): ResultLine['params'] {
  return {
    tls: flags.tls,
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    pinned: placement.serverCore !== undefined,
    serverStartRssMiB: toMiB(idle.rss),
    serverStartHeapMiB: toMiB(idle.heapUsed ?? 0),
  };
}

async function runAll(flags: BenchFlags, placement: CpuPlacement): Promise<boolean> {
  const accounts = Math.max(flags.pairs * 2, flags.concurrency, 2);
  process.stderr.write(`starting server (${accounts} accounts, tls ${flags.tls}, ${placement.note ?? 'server on core 0, load generator on core 1'})\n`);
  const server = await BenchServer.start({ users: accounts, tls: flags.tls !== 'none', core: placement.serverCore });
  const target = new BenchTarget(server, flags.tls);
  let succeeded = true;
  try {
    const machine = machineParams(flags, placement, await server.stats(true));
    for (const scenario of flags.scenarios) {
      process.stderr.write(`running ${scenario}\n`);
      try {
        const lines = await runScenario(scenario, target, flags, accounts);
        // Heap after a full GC once every client is gone: growth across scenarios is retained memory.
        const heapAfter = toMiB((await server.stats(true)).heapUsed ?? 0);
        for (const line of lines) {
          Object.assign(line.params, machine, { serverHeapAfterGcMiB: heapAfter });
          process.stdout.write(`${JSON.stringify(line)}\n`);
          if ('failure' in line.params || 'firstError' in line.params) succeeded = false;
        }
      } catch (error) {
        succeeded = false;
        process.stderr.write(`${scenario} failed: ${(error as Error).message}\n`);
      }
      if (target.serverExit !== undefined) {
        process.stderr.write(`server crashed during ${scenario}: ${target.serverExit}\n`);
        return false;
      }
    }
  } finally {
    await server.stop();
  }
  return succeeded;
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const flags = parseBenchFlags(process.argv.slice(2));
  if (!flags.ok) {
    process.stderr.write(`${flags.error}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const placement = placeProcesses(flags.value.pin);
  if (!(await runAll(flags.value, placement))) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
