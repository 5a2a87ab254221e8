/**
 * Puts the server and the load generator on different CPU cores (Linux `taskset`), so that the
 * generator's work does not eat into the server's core and the server figure is its own.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

export interface CpuPlacement {
  /** The core the server process is started on; undefined: not pinned. */
  serverCore: number | undefined;
  /** The core this process now runs on; undefined: not pinned. */
  loadGeneratorCore: number | undefined;
  /** Why pinning was skipped, when it was. */
  note: string | undefined;
}

/** Pins this process (all its threads) to core 1 and reserves core 0 for the server, when possible. */
export function placeProcesses(wanted: boolean): CpuPlacement {
  if (!wanted) return { serverCore: undefined, loadGeneratorCore: undefined, note: 'pinning disabled (--no-pin)' };
  if (availableParallelism() < 2) return { serverCore: undefined, loadGeneratorCore: undefined, note: 'fewer than 2 cores: not pinned' };
  try {
    execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  } catch (error) {
    return { serverCore: undefined, loadGeneratorCore: undefined, note: `taskset unavailable: ${(error as Error).message}` };
  }
  return { serverCore: 0, loadGeneratorCore: 1, note: undefined };
}
