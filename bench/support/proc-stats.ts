/**
 * CPU, memory and descriptors of another process from Linux `/proc`, for servers that cannot
 * answer a stats request themselves (Prosody). CPU comes in clock ticks (`getconf CLK_TCK`, 100 on
 * Linux), so a window should be seconds long to be exact to a percent.
 */
import { readdir, readFile } from 'node:fs/promises';
import type { ServerStats } from './bench-protocol.js';

const TICKS_PER_SECOND = 100;

/** utime and stime (fields 14 and 15 of proc(5) `stat`) in microseconds; the name may hold spaces. */
export function parseProcPidStat(text: string): { user: number; system: number } | undefined {
  const afterName = text.lastIndexOf(')');
  if (afterName === -1) return undefined;
  // Fields after the name start at field 3 (state); utime is field 14.
  const fields = text.slice(afterName + 2).split(' ');
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  if (!Number.isFinite(user) || !Number.isFinite(system)) return undefined;
  return { user: (user * 1e6) / TICKS_PER_SECOND, system: (system * 1e6) / TICKS_PER_SECOND };
}

/** VmRSS of proc(5) `status`, in bytes. */
export function parseVmRss(text: string): number | undefined {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
}

/** The process's stats now; throws when it is gone. */
export async function readProcStats(pid: number): Promise<ServerStats> {
  const [stat, status, fds] = await Promise.all([
    readFile(`/proc/${pid}/stat`, 'utf8'), readFile(`/proc/${pid}/status`, 'utf8'), readdir(`/proc/${pid}/fd`),
  ]);
  const cpu = parseProcPidStat(stat);
  const rss = parseVmRss(status);
  if (cpu === undefined || rss === undefined) throw new Error(`cannot read /proc/${pid}`);
  return { rss, heapUsed: undefined, cpuUser: cpu.user, cpuSystem: cpu.system, wallMs: performance.now(), fds: fds.length };
}
