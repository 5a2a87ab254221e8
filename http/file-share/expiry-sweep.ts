/**
 * Removes files, and the records of slots, older than `http_file_share_expires_after`: once
 * when the module loads and then at a quarter of that period (at least every second, at most
 * every hour), so a file outlives its period by at most a quarter of it or an hour.
 */
import type { Logger } from '../../server/log/index.js';
import type { FileDirectory } from './file-directory.js';
import type { UploadIndex } from './upload-index.js';

const HOUR_MS = 3600 * 1000;

/** Milliseconds between two sweeps for a period of `expiresAfterMs`. */
export function sweepInterval(expiresAfterMs: number): number {
  return Math.min(HOUR_MS, Math.max(1000, Math.floor(expiresAfterMs / 4)));
}

/** One sweep; resolves with the number of slots removed. Files are removed before their records. */
export async function sweepExpired(index: UploadIndex, files: FileDirectory, expiresAfterMs: number, now: number, logger: Logger): Promise<number> {
  const expired = index.grantedBefore(now - expiresAfterMs);
  for (const slot of expired) {
    try {
      await files.remove(slot);
      await index.remove(slot);
    } catch (error) {
      logger.error({ err: error, slot }, 'could not remove an expired upload');
    }
  }
  if (expired.length > 0) logger.info({ removed: expired.length }, 'removed expired uploads');
  return expired.length;
}
