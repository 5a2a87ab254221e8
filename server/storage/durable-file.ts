/**
 * Crash-safe file operations. A write goes to a temporary file in the same directory, is fsynced,
 * then renamed over the target and the directory is fsynced: after `kill -9` (or a power cut) the
 * target holds either the old or the new content, never a mix, and a resolved write is on disk.
 */
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Windows cannot open a directory to fsync it; rename there is already durable enough. */
const CAN_SYNC_DIRECTORIES = process.platform !== 'win32';

/** Whether an fs error means "no such file"; checked by code, since errors may come from another realm. */
export function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}

/** Makes the entries of a directory (created, renamed or removed files) durable. */
export async function syncDirectory(directory: string): Promise<void> {
  if (!CAN_SYNC_DIRECTORIES) return;
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Creates `directory` and its missing parents, making every new directory entry durable. */
export async function ensureDirectory(directory: string): Promise<void> {
  const first = await mkdir(directory, { recursive: true, mode: 0o700 });
  if (first === undefined) return;
  // Every directory from `directory` up to `first` is new: sync the parent that holds its entry.
  for (let current = directory; ; current = dirname(current)) {
    const parent = dirname(current);
    await syncDirectory(parent);
    if (current === first || parent === current) return;
  }
}

/** A file's text, undefined when it does not exist. */
export async function readTextIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Removes a file if it exists. */
export async function unlinkIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/** Replaces `target` with `data` atomically and durably, through the temporary file `temporary`. */
export async function writeFileDurably(target: string, temporary: string, data: string): Promise<void> {
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  } catch (error) {
    // Leftovers are harmless (reads ignore them) but should not pile up after ordinary errors.
    await unlinkIfPresent(temporary);
    throw error;
  }
  await syncDirectory(dirname(target));
}

/** Removes `target` durably; a missing file is not an error. */
export async function removeFileDurably(target: string): Promise<void> {
  try {
    await unlink(target);
  } catch (error) {
    if (isNotFound(error)) return;
    throw error;
  }
  await syncDirectory(dirname(target));
}
