/**
 * The top entries by self time of a V8 CPU profile (`.cpuprofile`), e.g. of the bench server run
 * with `BENCH_SERVER_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof"`. `(idle)` is time the main
 * thread waited (the thread pool may have been busy meanwhile: PBKDF2, file I/O).
 * Run: node node_modules/jiti/lib/jiti-cli.mjs bench/profile-top.ts DIR_OR_FILE [N]
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The newest `.cpuprofile` of a directory, or the file itself. */
async function profilePath(path: string): Promise<string> {
  if (!(await stat(path)).isDirectory()) return path;
  const files = (await readdir(path)).filter((name) => name.endsWith('.cpuprofile')).sort();
  const newest = files.at(-1);
  if (newest === undefined) throw new Error(`no .cpuprofile in ${path}`);
  return join(path, newest);
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.split('/').slice(-2).join('/');
  return `${functionName === '' ? '(anonymous)' : functionName} ${file}:${lineNumber + 1}`;
}

/** Self time per function, largest first, with the total sampled time in microseconds. */
export function selfTimes(profile: CpuProfile): { total: number; rows: [string, number][] } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    const node = byId.get(id);
    total += delta;
    if (node !== undefined) self.set(frameName(node), (self.get(frameName(node)) ?? 0) + delta);
  });
  return { total, rows: [...self.entries()].sort((a, b) => b[1] - a[1]) };
}

async function main(): Promise<void> {
  const [path, count = '25'] = process.argv.slice(2);
  if (path === undefined) throw new Error('usage: bench/profile-top.ts DIR_OR_FILE [N]');
  const file = await profilePath(path);
  const { total, rows } = selfTimes(JSON.parse(await readFile(file, 'utf8')) as CpuProfile);
  process.stdout.write(`${file}: ${(total / 1e6).toFixed(1)} s sampled\n`);
  for (const [name, micros] of rows.slice(0, Number(count))) {
    process.stdout.write(`${((100 * micros) / total).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${name}\n`);
  }
}

if (process.argv[1]?.endsWith('profile-top.ts')) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
