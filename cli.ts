#!/usr/bin/env node
/**
 * The `salon` executable (package `bin`): wires the real dependencies (this build's module
 * catalog, `startServer`, the process's streams and signals) into `runCli`. Everything loads
 * on demand, so that `salon fixture` pays only for what a fixture runs.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package version: package.json is next to cli.ts, or one level up from dist/cli.js. */
async function packageVersion(): Promise<string> {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < 3; level++) {
    // No readable package.json at this level: look one directory up.
    const text = await readFile(join(directory, 'package.json'), 'utf8').catch(() => undefined);
    const manifest: unknown = text === undefined ? undefined : JSON.parse(text);
    if (typeof manifest === 'object' && manifest !== null && 'version' in manifest && typeof manifest.version === 'string') {
      return manifest.version;
    }
    directory = dirname(directory);
  }
  return 'unknown';
}

type FixtureEntry = typeof import('./fixture/fixture-bin.js');

/**
 * The fixture code: the build's single-file bundle next to dist/cli.js when there is one, with a
 * code cache kept between runs (`fixture/code-cached-bundle.ts`); the ES modules otherwise
 * (running from the sources).
 */
async function loadFixtureEntry(): Promise<{ entry: FixtureEntry; afterReady?: () => Promise<void> }> {
  const bundle = fileURLToPath(new URL('./fixture-bin.cjs', import.meta.url));
  if (!existsSync(bundle)) return { entry: await import('./fixture/fixture-bin.js') };
  const [{ loadCodeCachedBundle }, { salonCacheDirectory }] = await Promise.all([
    import('./fixture/code-cached-bundle.js'), import('./fixture/cache-directory.js'),
  ]);
  const loaded = await loadCodeCachedBundle<FixtureEntry>(bundle, salonCacheDirectory(process.env, 'code-cache'));
  return { entry: loaded.exports, afterReady: loaded.saveCodeCache };
}

/** `salon fixture …` (DESIGN.md §6). */
async function runFixture(argv: readonly string[]): Promise<number> {
  const { entry, afterReady } = await loadFixtureEntry();
  return entry.runFixtureCommand(argv, process, {
    startServer: entry.startServer, cwd: process.cwd(), env: process.env, pid: process.pid, signals: process,
    ...(afterReady === undefined ? {} : { afterReady }),
  });
}

/** Every other command. */
async function runCommand(argv: readonly string[]): Promise<number> {
  const [{ runCli }, { moduleCatalog, startServer }, { createRosterImporter }] = await Promise.all([
    import('./server/cli/index.js'), import('./salon.js'), import('./roster/index.js'),
  ]);
  return runCli(argv, process, {
    catalog: moduleCatalog,
    rosterImporter: createRosterImporter,
    env: process.env,
    cwd: process.cwd(),
    version: await packageVersion(),
    startServer,
    signals: process,
  });
}

const argv = process.argv.slice(2);
const code = argv[0] === 'fixture' ? await runFixture(argv.slice(1)) : await runCommand(argv);
process.exitCode = code;
// Stray handles (a stdin left open, a slow socket) must not keep a finished command alive.
setTimeout(() => process.exit(code), 2_000).unref();
