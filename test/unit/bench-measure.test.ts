import { cpus } from 'node:os';
import { describe, test, expect } from '@jest/globals';
import { LatencyRecorder, percentile, usageBetween, type Snapshot } from '../../bench/support/measure.js';
import { busyCores, parseProcStat } from '../../bench/support/machine-cpu.js';
import { parseBenchFlags } from '../../bench/support/bench-flags.js';

describe('latency percentiles', () => {
  test('nearest rank over the recorded samples', () => {
    const sorted = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(percentile(sorted, 0.5)).toBe(5);
    expect(percentile(sorted, 0.99)).toBe(10);
    expect(percentile(Float64Array.from([7]), 0.5)).toBe(7);
  });

  test('the recorder sorts numerically and counts samples beyond its capacity', () => {
    const recorder = new LatencyRecorder(100);
    expect(recorder.percentiles()).toBeUndefined();
    for (let i = 100; i >= 1; i--) recorder.record(i / 10); // 10.0 down to 0.1: not in lexical order
    recorder.record(999);
    expect(recorder.count).toBe(101);
    expect(recorder.percentiles()).toEqual({ p50: 5, p99: 9.9 });
  });
});

describe('CPU use between snapshots', () => {
  const stats = (cpuMicros: number, wallMs: number) => ({ rss: 64 * 1024 * 1024, heapUsed: 0, cpuUser: cpuMicros, cpuSystem: 0, wallMs });
  test('fractions of one core for both processes, the rest of the machine apart', () => {
    const start: Snapshot = { wallMs: 0, cpu: { user: 0, system: 0 }, machine: { busy: 0, total: 0 }, server: stats(0, 1000) };
    const end: Snapshot = {
      wallMs: 2000, cpu: { user: 500_000, system: 100_000 }, machine: { busy: 300, total: 400 }, server: stats(1_600_000, 3000),
    };
    const usage = usageBetween(start, end);
    expect(usage.seconds).toBe(2);
    expect(usage.loadGeneratorCpu).toBe(0.3);
    expect(usage.serverCpu).toBe(0.8);
    expect(usage.serverRssMiB).toBe(64);
    // 3/4 of every core was busy; the two processes account for 1.1 cores of it.
    expect(usage.otherCpu).toBeCloseTo(Math.max(0, 0.75 * cpus().length - 1.1), 3);
  });

  test('/proc/stat: idle and iowait are not busy; steal is', () => {
    const first = parseProcStat('cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3 4\n')!;
    const second = parseProcStat('cpu  200 0 100 850 50 0 0 100 0 0\n')!;
    expect(first).toEqual({ busy: 150, total: 1000 });
    expect(busyCores(first, second, 2)).toBeCloseTo((250 / 300) * 2);
    expect(parseProcStat('intr 1 2 3')).toBeUndefined();
  });
});

describe('bench flags', () => {
  test('defaults', () => {
    const flags = parseBenchFlags([]);
    expect(flags).toEqual({
      ok: true,
      value: {
        scenarios: ['login', 'msg', 'msg-latency'], duration: undefined, warmup: 1, pairs: 50, inFlight: 400,
        concurrency: 50, mechanisms: ['SCRAM-SHA-1', 'PLAIN'], tls: 'none', pin: true,
      },
    });
  });

  test('overrides, and errors that name the flag', () => {
    const flags = parseBenchFlags(['--duration', '5', '--pairs', '100', '--scenarios', 'msg', '--tls', 'starttls', '--no-pin']);
    expect(flags.ok && flags.value).toMatchObject({ duration: 5, pairs: 100, scenarios: ['msg'], tls: 'starttls', pin: false });
    expect(parseBenchFlags(['--pairs', '0'])).toEqual({ ok: false, error: '--pairs must be an integer from 1 to 10000, got "0"' });
    expect(parseBenchFlags(['--scenarios', 'msg,fanout']).ok).toBe(false);
    expect(parseBenchFlags(['--mechanism', 'DIGEST-MD5']).ok).toBe(false);
    expect(parseBenchFlags(['--tls', 'yes']).ok).toBe(false);
    expect(parseBenchFlags(['--bogus']).ok).toBe(false);
  });
});
