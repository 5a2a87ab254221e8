/**
 * What a benchmark result is made of: latency percentiles, the CPU both processes used during the
 * measured window (so a reader can see the load generator was not the bottleneck), and the line
 * printed for each result.
 */
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerStats } from './bench-protocol.js';
import { busyCores, readMachineCpu, type MachineCpu } from './machine-cpu.js';

const MIB = 1024 * 1024;

/** Latencies in ms, kept in a preallocated array (bounded: extra samples are counted, not kept). */
export class LatencyRecorder {
  readonly #values: Float64Array;
  #count = 0;
  #dropped = 0;

  constructor(capacity = 2_000_000) {
    this.#values = new Float64Array(capacity);
  }

  record(ms: number): void {
    if (this.#count < this.#values.length) this.#values[this.#count++] = ms;
    else this.#dropped++;
  }

  get count(): number {
    return this.#count + this.#dropped;
  }

  /** p50 and p99 by nearest rank; undefined without samples. */
  percentiles(): { p50: number; p99: number } | undefined {
    if (this.#count === 0) return undefined;
    const sorted = this.#values.slice(0, this.#count).sort();
    return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
  }
}

/** Nearest-rank percentile of ascending `sorted` (non-empty); `fraction` in (0, 1]. */
export function percentile(sorted: Float64Array, fraction: number): number {
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** Both processes' clocks at one moment. */
export interface Snapshot {
  wallMs: number;
  cpu: NodeJS.CpuUsage;
  machine: MachineCpu | undefined;
  server: ServerStats;
}

export interface StatsSource {
  stats(): Promise<ServerStats>;
}

export async function snapshot(server: StatsSource): Promise<Snapshot> {
  const wallMs = performance.now();
  const cpu = process.cpuUsage();
  const machine = readMachineCpu();
  return { wallMs, cpu, machine, server: await server.stats() };
}

/** CPU use between two snapshots, as a fraction of one core; memory at the end. */
export interface WindowUsage {
  seconds: number;
  loadGeneratorCpu: number;
  serverCpu: number;
  serverRssMiB: number;
  /** Cores' worth of CPU every other process on the machine used (undefined off Linux). */
  otherCpu: number | undefined;
}

export function usageBetween(start: Snapshot, end: Snapshot): WindowUsage {
  const wallMicros = (end.wallMs - start.wallMs) * 1000;
  const serverWallMicros = (end.server.wallMs - start.server.wallMs) * 1000;
  const ownCpu = end.cpu.user - start.cpu.user + end.cpu.system - start.cpu.system;
  const serverCpu = end.server.cpuUser - start.server.cpuUser + end.server.cpuSystem - start.server.cpuSystem;
  const loadGeneratorCpu = ownCpu / wallMicros;
  const serverShare = serverCpu / serverWallMicros;
  const machine = start.machine !== undefined && end.machine !== undefined
    ? busyCores(start.machine, end.machine, cpus().length)
    : undefined;
  return {
    seconds: wallMicros / 1e6,
    loadGeneratorCpu: round(loadGeneratorCpu, 3),
    serverCpu: round(serverShare, 3),
    serverRssMiB: round(end.server.rss / MIB, 1),
    otherCpu: machine === undefined ? undefined : round(Math.max(0, machine - loadGeneratorCpu - serverShare), 3),
  };
}

export function toMiB(bytes: number): number {
  return round(bytes / MIB, 1);
}

export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** One benchmark result, printed as one JSON line on stdout. */
export interface ResultLine {
  scenario: string;
  value: number;
  unit: string;
  p50?: number;
  p99?: number;
  loadGeneratorCpu: number;
  serverCpu: number;
  serverRssMiB: number;
  /** See `WindowUsage.otherCpu`. */
  otherCpu?: number;
  date: string;
  node: string;
  /** The server measured (`salon`, `prosody`, `ejabberd`); set by `bench/run.ts`. */
  target?: string;
  /** The repetition of an interleaved comparison (compare.sh). */
  rep?: number;
  /** The machine's 1-minute load average when the result was taken (other work on a shared machine). */
  loadAvg1?: number;
  /** How the figure was produced: durations, concurrency, mechanism, errors. */
  params: Record<string, string | number | boolean>;
}

export function resultLine(
  scenario: string,
  figure: { value: number; unit: string; p50?: number; p99?: number },
  usage: WindowUsage,
  params: ResultLine['params'],
): ResultLine {
  return {
    scenario,
    value: figure.value,
    unit: figure.unit,
    ...(figure.p50 === undefined ? {} : { p50: round(figure.p50, 3) }),
    ...(figure.p99 === undefined ? {} : { p99: round(figure.p99, 3) }),
    loadGeneratorCpu: usage.loadGeneratorCpu,
    serverCpu: usage.serverCpu,
    serverRssMiB: usage.serverRssMiB,
    ...(usage.otherCpu === undefined ? {} : { otherCpu: usage.otherCpu }),
    date: new Date().toISOString(),
    node: process.version,
    params,
  };
}

/** What a closed-loop load exposes to its measured window. */
export interface MeasuredLoad {
  /** Deliveries count (and latencies are recorded) only while this is set. */
  measuring: boolean;
}

export interface MeasuredWindow {
  start: Snapshot;
  end: Snapshot;
  /** The window's length as the load saw it (between setting and clearing `measuring`). */
  seconds: number;
}

/** Warm-up, then the measured window: `run.measuring` is on for its length, with snapshots around it. */
export async function measureWindow(server: StatsSource, run: MeasuredLoad, warmupSeconds: number, durationSeconds: number): Promise<MeasuredWindow> {
  await sleep(warmupSeconds * 1000);
  const start = await snapshot(server);
  const from = performance.now();
  run.measuring = true;
  await sleep(durationSeconds * 1000);
  run.measuring = false;
  const seconds = (performance.now() - from) / 1000;
  const end = await snapshot(server);
  return { start, end, seconds };
}
