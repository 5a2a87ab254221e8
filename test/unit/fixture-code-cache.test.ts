/**
 * The code cache of the `salon fixture` bundle: made after the first run, used by the next,
 * replaced when the bundle changes or the cache is unusable, and never a reason to fail.
 * Each load runs in its own Node process (the compiled module in dist/), as `salon fixture`
 * does: within one process V8 would reuse its in-memory compilation and never read the cache.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const LOADER = fileURLToPath(new URL('../../dist/fixture/code-cached-bundle.js', import.meta.url));

interface LoadResult {
  cache: 'hit' | 'rejected' | 'none';
  answer: number;
  dirname: string;
}

/** Loads the bundle in a new process, saves the cache, and reports what the load saw. */
async function loadCodeCachedBundle(bundlePath: string, cacheDirectoryPath: string): Promise<LoadResult> {
  const script = `
    const { loadCodeCachedBundle } = await import(${JSON.stringify(LOADER)});
    const loaded = await loadCodeCachedBundle(${JSON.stringify(bundlePath)}, ${JSON.stringify(cacheDirectoryPath)});
    await loaded.saveCodeCache();
    console.log(JSON.stringify({ cache: loaded.cache, answer: loaded.exports.answer(), dirname: loaded.exports.dirname }));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
  return JSON.parse(stdout) as LoadResult;
}

let work: string;
let bundle: string;
let cacheDirectory: string;

async function writeBundle(answer: number): Promise<void> {
  // Enough code that V8 has functions to compile lazily.
  const helpers = Array.from({ length: 50 }, (_, i) => `function helper${i}(x) { return x + ${i}; }`).join('\n');
  await writeFile(bundle, `${helpers}\nexports.answer = () => helper0(${answer});\nexports.dirname = __dirname;\n`);
}

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'salon-code-cache-'));
  bundle = join(work, 'bundle.cjs');
  cacheDirectory = join(work, 'cache');
  await writeBundle(42);
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('loadCodeCachedBundle', () => {
  it('runs the bundle as CommonJS, saves a cache after the first run and the next run uses it', async () => {
    const first = await loadCodeCachedBundle(bundle, cacheDirectory);
    expect(first.cache).toBe('none');
    expect(first.answer).toBe(42);
    expect(first.dirname).toBe(work);
    const files = await readdir(cacheDirectory);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^bundle\\.cjs-${process.version.replaceAll('.', '\\.')}-${process.arch}-\\d+-\\d+\\.v8cache$`));

    const second = await loadCodeCachedBundle(bundle, cacheDirectory);
    expect(second.cache).toBe('hit');
    expect(second.answer).toBe(42);
    expect(await readdir(cacheDirectory)).toEqual(files);
  });

  it('a changed bundle gets a new cache and the old one is removed', async () => {
    expect((await loadCodeCachedBundle(bundle, cacheDirectory)).answer).toBe(42);
    const [oldCache] = await readdir(cacheDirectory);
    await writeBundle(43); // same length: only the modification time tells the builds apart
    const later = new Date(Date.now() + 5_000);
    await utimes(bundle, later, later);

    const changed = await loadCodeCachedBundle(bundle, cacheDirectory);
    expect(changed.cache).toBe('none');
    expect(changed.answer).toBe(43);
    const files = await readdir(cacheDirectory);
    expect(files).toHaveLength(1);
    expect(files[0]).not.toBe(oldCache);
  });

  it('a corrupt cache is rejected, the bundle still runs, and the cache is rewritten', async () => {
    expect((await loadCodeCachedBundle(bundle, cacheDirectory)).cache).toBe('none');
    const [name] = await readdir(cacheDirectory);
    await writeFile(join(cacheDirectory, name!), Buffer.from('not a V8 code cache at all'));

    const rejected = await loadCodeCachedBundle(bundle, cacheDirectory);
    expect(rejected.cache).toBe('rejected');
    expect(rejected.answer).toBe(42);
    expect((await loadCodeCachedBundle(bundle, cacheDirectory)).cache).toBe('hit');
  });

  it('an unwritable cache directory costs only the cache', async () => {
    await writeFile(cacheDirectory, 'a file where the directory should be');
    const loaded = await loadCodeCachedBundle(bundle, cacheDirectory);
    expect(loaded.answer).toBe(42);
    expect((await loadCodeCachedBundle(bundle, cacheDirectory)).cache).toBe('none');
  });
});
