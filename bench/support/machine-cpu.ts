/**
 * Whole-machine CPU time from Linux `/proc/stat`, to tell how much of the machine other processes
 * used during a measurement: on a shared machine a low figure may mean the server was starved.
 */
import { readFileSync } from 'node:fs';

/** Busy and total jiffies summed over all cores; undefined where `/proc/stat` is missing. */
export interface MachineCpu {
  busy: number;
  total: number;
}

export function readMachineCpu(): MachineCpu | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/stat', 'utf8');
  } catch {
    return undefined; // not Linux: the figure is simply not reported
  }
  return parseProcStat(text);
}

/** Reads the aggregate `cpu` line: user nice system idle iowait irq softirq steal ... */
export function parseProcStat(text: string): MachineCpu | undefined {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) return undefined;
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (fields.length < 5 || fields.some((n) => !Number.isFinite(n))) return undefined;
  const total = fields.reduce((sum, n) => sum + n, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** Cores' worth of CPU used machine-wide between two readings (e.g. 1.6 of 2 cores). */
export function busyCores(start: MachineCpu, end: MachineCpu, cores: number): number {
  const total = end.total - start.total;
  return total <= 0 ? 0 : ((end.busy - start.busy) / total) * cores;
}
