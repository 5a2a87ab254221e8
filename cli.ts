#!/usr/bin/env node
/**
 * The `salon` command line as an ES module (`node dist/cli.js …`; the package `bin`,
 * `cli-launcher.ts`, hands it every command but `fixture`): wires the real dependencies (this
 * build's module catalog, `startServer`, the process's streams and signals) into `runCli`.
 * Everything loads on demand, so that `salon fixture` pays only for what a fixture runs.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { finishProcess } from './server/cli/index.js';

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

/**
 * `salon fixture …` (DESIGN.md §6): the build's single-file bundle next to dist/cli.js when there
 * is one (`fixture/fixture-launch.ts`); the ES modules otherwise (running from the sources).
 */
async function runFixture(argv: readonly string[]): Promise<number> {
  const { processFixtureDeps, runFixtureBundle } = await import('./fixture/fixture-launch.js');
  const bundle = fileURLToPath(new URL('./fixture-bin.cjs', import.meta.url));
  if (existsSync(bundle)) return runFixtureBundle(bundle, argv);
  const entry = await import('./fixture/fixture-bin.js');
  return entry.runFixtureCommand(argv, process, processFixtureDeps(entry));
}

/** Every other command. */
async function runCommand(argv: readonly string[]): Promise<number> {
  const [{ runCli }, { startServer }, { moduleCatalog }, { createRosterImporter }] = await Promise.all([
    import('./server/cli/index.js'), import('./salon.js'), import('./module-catalog.js'), import('./roster/index.js'),
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
finishProcess(code);
