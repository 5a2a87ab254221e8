/** Whether a process has ended, for tests that check a server went away with its parent. */
import { existsSync, readFileSync } from 'node:fs';

/**
 * Whether process `pid` has ended. Its pipes close as it exits, a moment before whoever adopted
 * it reaps it: a zombie (state Z or X in /proc) has ended too.
 */
export function isProcessGone(pid: number): boolean {
  const statPath = `/proc/${pid}/stat`;
  const stat = existsSync(statPath) ? readFileSync(statPath, 'utf8') : undefined;
  if (stat !== undefined) return /^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
