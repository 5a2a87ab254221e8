/**
 * The side-by-side table of `bench/compare.sh`: reads the JSON result lines of interleaved runs and
 * prints, per scenario, each server's median over the repetitions and the Salon/Prosody ratio, as
 * Markdown. Lower is better for `ms` and `KiB/session`; the last column says which way is better.
 * Run: node node_modules/jiti/lib/jiti-cli.mjs bench/compare-table.ts results.jsonl
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

interface Line {
  scenario: string;
  value: number;
  unit: string;
  p99?: number;
  serverCpu: number;
  loadGeneratorCpu: number;
  otherCpu?: number;
  loadAvg1?: number;
  target?: string;
  params: Record<string, unknown>;
}

interface Cell {
  values: number[];
  p99: number[];
  serverCpu: number[];
  loadGeneratorCpu: number[];
  otherCpu: number[];
  unit: string;
}

const LOWER_IS_BETTER = new Set(['ms', 'KiB/session']);

/** Median of a non-empty list (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The row a result belongs to: the scenario, with the SASL mechanism where a scenario has several. */
function rowKey(line: Line): string {
  const mechanism = line.params.mechanism;
  return line.scenario === 'login' && typeof mechanism === 'string' ? `login ${mechanism}` : line.scenario;
}

function collect(lines: readonly Line[]): Map<string, Map<string, Cell>> {
  const rows = new Map<string, Map<string, Cell>>();
  for (const line of lines) {
    const key = rowKey(line);
    const byTarget = rows.get(key) ?? new Map<string, Cell>();
    rows.set(key, byTarget);
    const target = line.target ?? 'salon';
    const cell = byTarget.get(target) ?? { values: [], p99: [], serverCpu: [], loadGeneratorCpu: [], otherCpu: [], unit: line.unit };
    byTarget.set(target, cell);
    cell.values.push(line.value);
    if (line.p99 !== undefined) cell.p99.push(line.p99);
    cell.serverCpu.push(line.serverCpu);
    cell.loadGeneratorCpu.push(line.loadGeneratorCpu);
    if (line.otherCpu !== undefined) cell.otherCpu.push(line.otherCpu);
  }
  return rows;
}

function figure(cell: Cell | undefined): string {
  if (cell === undefined) return '—';
  const value = median(cell.values);
  const shown = value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(value >= 10 ? 1 : 3);
  const p99 = cell.p99.length > 0 ? ` (p99 ${median(cell.p99).toFixed(1)} ms)` : '';
  return `${shown}${p99}`;
}

function cpu(cell: Cell | undefined): string {
  if (cell === undefined) return '—';
  return `${median(cell.serverCpu).toFixed(2)} / ${median(cell.loadGeneratorCpu).toFixed(2)}`;
}

/** The Markdown table for `lines`. */
export function comparisonTable(lines: readonly Line[]): string {
  const out = [
    '| scenario | unit | Salon median | Prosody median | Salon/Prosody | better | runs | CPU server/loadgen (S; P) | max otherCpu |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [key, byTarget] of collect(lines)) {
    const salon = byTarget.get('salon');
    const prosody = byTarget.get('prosody');
    const unit = salon?.unit ?? prosody?.unit ?? '';
    const ratio = salon !== undefined && prosody !== undefined ? median(salon.values) / median(prosody.values) : undefined;
    const others = [...(salon?.otherCpu ?? []), ...(prosody?.otherCpu ?? [])];
    out.push(`| ${key} | ${unit} | ${figure(salon)} | ${figure(prosody)} | ${ratio === undefined ? '—' : `${ratio.toFixed(2)}×`} | `
      + `${LOWER_IS_BETTER.has(unit) ? 'lower' : 'higher'} | ${salon?.values.length ?? 0}+${prosody?.values.length ?? 0} | `
      + `${cpu(salon)}; ${cpu(prosody)} | ${others.length > 0 ? Math.max(...others).toFixed(2) : '—'} |`);
  }
  return `${out.join('\n')}\n`;
}

/** Results taken while other processes used more than `maxOther` cores are left out (a shared machine). */
export function quietLines(lines: readonly Line[], maxOther: number): { kept: Line[]; dropped: Line[] } {
  const kept: Line[] = [];
  const dropped: Line[] = [];
  for (const line of lines) ((line.otherCpu ?? 0) > maxOther ? dropped : kept).push(line);
  return { kept, dropped };
}

async function main(): Promise<void> {
  const { values, positionals: files } = parseArgs({ allowPositionals: true, options: { 'max-other': { type: 'string', default: '1000' } } });
  const maxOther = Number(values['max-other']);
  if (files.length === 0 || !Number.isFinite(maxOther)) {
    process.stderr.write('Usage: bench/compare-table.ts [--max-other CORES] RESULTS.jsonl...\n');
    process.exitCode = 2;
    return;
  }
  const lines: Line[] = [];
  for (const file of files) {
    for (const text of (await readFile(file, 'utf8')).split('\n')) if (text.trim().startsWith('{')) lines.push(JSON.parse(text) as Line);
  }
  const { kept, dropped } = quietLines(lines.filter((line) => typeof line.value === 'number' && line.scenario !== undefined), maxOther);
  process.stdout.write(comparisonTable(kept));
  if (dropped.length > 0) {
    const names = dropped.map((line) => `${line.target ?? 'salon'} ${rowKey(line)}`).join(', ');
    process.stdout.write(`\nLeft out, otherCpu above ${maxOther}: ${dropped.length} result(s): ${names}\n`);
  }
}

if (process.argv[1]?.endsWith('compare-table.ts')) {
  main().catch((error: unknown) => {
    process.stderr.write(`compare-table failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
