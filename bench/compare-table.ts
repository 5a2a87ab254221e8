/**
 * The side-by-side table of `bench/compare.sh`: reads the JSON result lines of interleaved runs and
 * prints, per scenario, each server's median over the repetitions and Salon's ratio to each other
 * server present (Salon/Prosody, Salon/ejabberd), as Markdown. Lower is better for `ms` and
 * `KiB/session`; the `better` column says which way is better.
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

const LOWER_IS_BETTER = new Set(['ms', 'KiB/session', 'B/message']);
/** The servers in the order their columns appear; Salon first, as the ratios' numerator. */
const TARGETS = [
  { name: 'salon', label: 'Salon', letter: 'S' },
  { name: 'prosody', label: 'Prosody', letter: 'P' },
  { name: 'ejabberd', label: 'ejabberd', letter: 'E' },
] as const;
type Target = (typeof TARGETS)[number];

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

function ratio(salon: Cell | undefined, other: Cell | undefined): string {
  if (salon === undefined || other === undefined) return '—';
  return `${(median(salon.values) / median(other.values)).toFixed(2)}×`;
}

/** The servers that have at least one result, Salon always (the ratios are Salon's). */
function presentTargets(rows: Map<string, Map<string, Cell>>): Target[] {
  const seen = new Set<string>(['salon']);
  for (const byTarget of rows.values()) for (const name of byTarget.keys()) seen.add(name);
  return TARGETS.filter((target) => seen.has(target.name));
}

/** The Markdown table for `lines`: a median column per server present, then Salon's ratio to each of the others. */
export function comparisonTable(lines: readonly Line[]): string {
  const rows = collect(lines);
  const targets = presentTargets(rows);
  const others = targets.filter((target) => target.name !== 'salon');
  const header = [
    'scenario', 'unit', ...targets.map((t) => `${t.label} median`), ...others.map((t) => `Salon/${t.label}`), 'better', 'runs',
    `CPU server/loadgen (${targets.map((t) => t.letter).join('; ')})`, 'max otherCpu',
  ];
  const out = [`| ${header.join(' | ')} |`, `|${header.map(() => '---|').join('')}`];
  for (const [key, byTarget] of rows) {
    const cells = targets.map((t) => byTarget.get(t.name));
    const salon = byTarget.get('salon');
    const unit = cells.find((cell) => cell !== undefined)?.unit ?? '';
    const otherCpu = cells.flatMap((cell) => cell?.otherCpu ?? []);
    out.push(`| ${[
      key, unit, ...cells.map(figure), ...others.map((t) => ratio(salon, byTarget.get(t.name))),
      LOWER_IS_BETTER.has(unit) ? 'lower' : 'higher', cells.map((cell) => cell?.values.length ?? 0).join('+'),
      cells.map(cpu).join('; '), otherCpu.length > 0 ? Math.max(...otherCpu).toFixed(2) : '—',
    ].join(' | ')} |`);
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
