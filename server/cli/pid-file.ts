/**
 * The pidfile (Prosody's `pidfile` option): `salon start` writes its process id there once it is
 * ready and removes it when it stops; `salon reload` reads it to signal the server. Written to a
 * temporary name and renamed, so a reader never sees half a number.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { err, ok, type Result } from '../errors/index.js';

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}

export async function writePidFile(path: string, pid: number): Promise<Result<void, string>> {
  const temporary = `${path}.${pid}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temporary, `${pid}\n`, { mode: 0o644 });
    await rename(temporary, path);
    return ok(undefined);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined); // best effort: the write already failed
    return err(`cannot write the pidfile ${path}: ${reason(error)}`);
  }
}

/** What a pidfile holds: a process id, nothing (no file), or something that is not one. */
export type PidFileContent = { pid: number } | { missing: true } | { invalid: string };

export async function readPidFile(path: string): Promise<PidFileContent> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return hasCode(error, 'ENOENT') ? { missing: true } : { invalid: reason(error) };
  }
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? { pid } : { invalid: `not a process id: ${JSON.stringify(text.slice(0, 20))}` };
}

/** Removes the pidfile if it still names `pid` (another server may have taken it over since). */
export async function removePidFile(path: string, pid: number): Promise<void> {
  const content = await readPidFile(path);
  if ('pid' in content && content.pid === pid) await rm(path, { force: true });
}

/** Whether a process with this id exists (EPERM: it does, owned by someone else). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return hasCode(error, 'EPERM');
  }
}
