/**
 * A Salon data directory with the bench accounts, made by the real `salon import` (the compiled
 * CLI, dist/cli.js), so the bench also measures how fast a deployment gets its users.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BENCH_DOMAIN, BENCH_SASL_ITERATIONS } from './bench-protocol.js';
import { benchImportUsers, type BenchAccounts } from './bench-data.js';

const run = promisify(execFile);
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface PreparedData {
  /** The data directory to start the server on. */
  dataPath: string;
  /** Seconds `salon import` took, as it reported them. */
  importSeconds: number;
  /** The command's summary line. */
  summary: string;
}

/** Writes the import file and a config into `dir`, runs `salon import`, returns the data path. */
export async function prepareSalonData(dir: string, accounts: BenchAccounts): Promise<PreparedData> {
  await mkdir(dir, { recursive: true });
  const users = [...benchImportUsers(accounts)];
  await writeFile(join(dir, 'users.json'), JSON.stringify({ users }));
  await writeFile(join(dir, 'salon.config.mjs'), `export default ${JSON.stringify({
    data_path: './data', sasl_iterations: BENCH_SASL_ITERATIONS, log_level: 'silent',
    hosts: [{ kind: 'user', name: BENCH_DOMAIN, options: {} }],
  })};\n`);
  const { stdout } = await run(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'import', 'users.json', '--config', 'salon.config.mjs'], {
    cwd: dir, maxBuffer: 1 << 20,
  });
  const seconds = /in (\d+(?:\.\d+)?) s$/m.exec(stdout);
  return { dataPath: join(dir, 'data'), importSeconds: Number(seconds?.[1] ?? Number.NaN), summary: stdout.trim() };
}
