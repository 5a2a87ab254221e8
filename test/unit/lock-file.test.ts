/**
 * The committed lock file installs with `npm ci` on a machine with an empty npm cache only when
 * every package entry has a version; `scripts/check-lock.mjs` (run by `.ci/run`) guards that.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const CHECK = fileURLToPath(new URL('../../scripts/check-lock.mjs', import.meta.url));
let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'salon-lock-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

async function check(lockPath?: string): Promise<{ code: number; output: string }> {
  const args = lockPath === undefined ? [CHECK] : [CHECK, lockPath];
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, args);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

test('the committed lock file has a version on every package entry', async () => {
  const result = await check();
  expect(result).toEqual({ code: 0, output: expect.stringContaining('all versioned') });
});

test('a placeholder entry without a version is refused and named', async () => {
  const lockPath = join(directory, 'placeholder-lock.json');
  await writeFile(lockPath, JSON.stringify({
    lockfileVersion: 3,
    packages: {
      '': { name: 'x' },
      'node_modules/a': { version: '1.0.0' },
      'node_modules/linked': { resolved: 'node_modules/a', link: true },
      'node_modules/x/node_modules/@scope/binding-android-arm64': { optional: true },
    },
  }));
  const result = await check(lockPath);
  expect(result.code).toBe(1);
  expect(result.output).toContain('1 entries without a version');
  expect(result.output).toContain('node_modules/x/node_modules/@scope/binding-android-arm64');
  expect(result.output).not.toContain('node_modules/linked\n');
});
