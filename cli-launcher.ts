#!/usr/bin/env node
/**
 * The `salon` executable (package `bin`, built into `dist/cli.cjs` by `scripts/bundle-fixture.ts`).
 * It is CommonJS because Node starts a CommonJS entry without setting up its ES module loader,
 * ≈ 15 ms sooner on a small machine, where `salon fixture` has 200 ms in all (DESIGN.md §6).
 * `salon fixture` runs the single-file bundle next to this file; every other command is handed
 * to the ES module CLI (`cli.ts`) unchanged.
 */
import { fileURLToPath } from 'node:url';
import { runFixtureBundle } from './fixture/fixture-launch.js';
import { finishProcess } from './server/cli/finish-process.js';

/** What could not even start (a missing or broken build): said once, exit 1. */
function failed(error: unknown): void {
  process.stderr.write(`salon: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  finishProcess(1);
}

const argv = process.argv.slice(2);
if (argv[0] === 'fixture') {
  runFixtureBundle(fileURLToPath(new URL('./fixture-bin.cjs', import.meta.url)), argv.slice(1)).then(finishProcess, failed);
} else {
  // A computed specifier: the bundler leaves this import to Node, which loads cli.js as an ES module.
  const cli = new URL('./cli.js', import.meta.url).href;
  import(cli).catch(failed);
}
