/**
 * Retention: a sweep removes every item older than the period from all archives of one store
 * (`archive_expires_after` for users, `muc_log_expires_after` for rooms). Each sweep removes
 * what expired since the one before, so the work per sweep stays proportional to the traffic
 * of one interval (only the first sweep after a long stop has a backlog); sweeps never overlap:
 * a sweep asked for while one runs shares it. The caller's timer decides how often.
 */
import type { Logger } from '../log/index.js';
import type { ArchiveStore } from '../storage/index.js';

export interface RetentionSweep {
  /** Runs one sweep now (the timer calls it); resolves to how many items were removed. */
  sweep(): Promise<number>;
}

export function createRetentionSweep(store: ArchiveStore, periodSeconds: number, logger: Logger, now: () => number = Date.now): RetentionSweep {
  let running: Promise<number> | undefined;
  const run = async (): Promise<number> => {
    try {
      const removed = await store.deleteOlderThan(now() - periodSeconds * 1000);
      if (removed > 0) logger.info({ removed }, 'removed expired archived messages');
      return removed;
    } catch (error) {
      logger.error({ err: error }, 'could not remove expired archived messages');
      return 0;
    } finally {
      running = undefined;
    }
  };
  return {
    sweep() {
      running ??= run();
      return running;
    },
  };
}
