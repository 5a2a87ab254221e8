/**
 * The import-boundary rule of STYLE.md ("each folder's `index.ts` is its public API; other folders
 * import only that file"), checked over the production sources: this test is the lint rule
 * STYLE.md speaks of. It runs with `npm test`; alone:
 * `NODE_OPTIONS=--experimental-vm-modules npx jest test/unit/import-boundaries.test.ts`.
 *
 * Units: `muc/`, `roster/`, `im/`, `http/`, `fixture/`, each `server/<sub>/` folder (server/xml,
 * server/stream, server/net, …), each plugin folder `muc/plugins/<name>/` and
 * `roster/plugins/<name>/`, and the top-level composition files (salon.ts, cli.ts,
 * cli-launcher.ts, module-catalog.ts, …) as one unit. A file may import any file of its own unit
 * and only `<unit>/index.ts` of another unit; `muc/plugins/index.ts` and `roster/plugins/index.ts`
 * (the features' plugin catalogs, kept apart from the features' index.ts because every plugin
 * imports its parent's index.ts) are public entries too. On top of that, `server/` is the core: a
 * file under `server/` imports nothing outside `server/`. Nothing imports the top-level files
 * except each other and `fixture/` (which bundles the package entry). Tests, bench/ and scripts/
 * are not checked (tests reach internals on purpose). Imports are import/export declarations,
 * `import()` calls and `import()` types, type-only ones included; a `declare module` augmentation
 * names the file it augments and is not an import.
 *
 * Reading a failure: each line is one offending import,
 *   `roster/foo.ts:12 imports server/xml/ns.ts; use server/xml/index.ts`
 * i.e. the file and line of the import, the internal file it reaches, and the index.ts to import
 * instead (export the name from that index.ts if it is missing there). A line ending in
 * `server/ must not import …` is a core file depending on a feature: move the shared code into a
 * `server/` unit or invert the dependency with a hook or service.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@jest/globals';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const sourceFolders = ['server', 'muc', 'roster', 'im', 'http', 'fixture', 'admin', 'webhooks', 'metrics'];
const featureUnits = new Set(['muc', 'roster', 'im', 'http', 'fixture', 'admin', 'webhooks', 'metrics']);
const pluginParents = new Set(['muc', 'roster']);
/** The unit of the top-level composition files. */
const TOP = '.';
/**
 * Imports that reach past an index.ts on purpose, each with its reason. Add to this list only
 * with a reason a reviewer accepts.
 */
const allowed: ReadonlyMap<string, readonly string[]> = new Map([
  // The CommonJS launcher is bundled on its own into dist/cli.cjs; importing just these two
  // small files (not the fixture's and the CLI's index.ts) keeps `salon` start-up light (DESIGN.md §6).
  ['cli-launcher.ts', ['fixture/fixture-launch.ts', 'server/cli/finish-process.ts']],
  // Loaded lazily for `salon fixture` only; fixture-bin.ts is the single-file bundle's entry
  // point, not part of the fixture's API.
  ['cli.ts', ['fixture/fixture-launch.ts', 'fixture/fixture-bin.ts']],
]);

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

function listSources(folder: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) out.push(...listSources(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function productionFiles(): string[] {
  const topLevel = readdirSync(root).filter(
    (name) => name.endsWith('.ts') && !name.endsWith('.d.ts') && statSync(join(root, name)).isFile(),
  );
  return [...topLevel, ...sourceFolders.flatMap(listSources)].sort();
}

/** The unit a root-relative path belongs to, or undefined outside the checked tree. */
export function unitOf(path: string): string | undefined {
  const parts = path.split('/');
  if (parts.length === 1) return TOP;
  const [top, second, third] = parts;
  if (top === 'server') return parts.length > 2 ? `server/${second}` : undefined;
  if (top !== undefined && featureUnits.has(top)) {
    if (pluginParents.has(top) && second === 'plugins' && parts.length > 3) return `${top}/plugins/${third}`;
    return top;
  }
  return undefined;
}

/** Resolves a relative specifier (`./x.js`, `../y/index.js`) to a root-relative `.ts` path. */
function resolveSpecifier(fromFile: string, specifier: string): string {
  const base = toPosix(relative(root, resolve(root, dirname(fromFile), specifier)));
  const candidates = base.endsWith('.js')
    ? [`${base.slice(0, -3)}.ts`, base]
    : [base, `${base}.ts`, `${base}/index.ts`];
  for (const candidate of candidates) {
    try {
      if (statSync(join(root, candidate)).isFile()) return candidate;
    } catch {
      // not this candidate
    }
  }
  return candidates[0] ?? base;
}

/** The files of a unit that other units may import. */
function publicEntries(unit: string): string[] {
  return pluginParents.has(unit) ? [`${unit}/index.ts`, `${unit}/plugins/index.ts`] : [`${unit}/index.ts`];
}

/**
 * The relative module specifiers a file imports, with their lines: import and export-from
 * declarations, `import('…')` calls and `import('…')` types. A `declare module '…'` block is not
 * an import: it augments the file that declares an interface (typed hooks extend `HookEvents`
 * that way) and must name that file.
 */
export function relativeImports(file: string, text: string): { specifier: string; line: number }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: { specifier: string; line: number }[] = [];
  const record = (node: ts.Node | undefined): void => {
    if (node !== undefined && ts.isStringLiteralLike(node) && node.text.startsWith('.')) {
      found.push({ specifier: node.text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) record(node.moduleSpecifier);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) record(node.arguments[0]);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) record(node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Why `file` may not import `target` (both root-relative), or undefined when it may. */
export function problem(file: string, target: string): string | undefined {
  const unit = unitOf(file);
  const targetUnit = unitOf(target);
  if (unit === undefined || targetUnit === unit || allowed.get(file)?.includes(target)) return undefined;
  if (unit.startsWith('server/') && !target.startsWith('server/')) {
    return `server/ must not import ${targetUnit === TOP ? 'the top-level files' : `${target.split('/')[0]}/`}`;
  }
  if (targetUnit === undefined) return 'production code imports only production folders';
  if (targetUnit === TOP) {
    return unit === 'fixture' ? undefined : 'top-level files are imported only by each other and fixture/';
  }
  return publicEntries(targetUnit).includes(target) ? undefined : `use ${targetUnit}/index.ts`;
}

export function violations(files: readonly string[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    if (unitOf(file) === undefined) continue;
    const text = readFileSync(join(root, file), 'utf8');
    for (const { specifier, line } of relativeImports(file, text)) {
      const target = resolveSpecifier(file, specifier);
      const why = problem(file, target);
      if (why !== undefined) found.push(`${file}:${line} imports ${target}; ${why}`);
    }
  }
  return found;
}

test('the unit of a path: server sub-folders and plugin folders are units of their own', () => {
  expect(unitOf('salon.ts')).toBe(TOP);
  expect(unitOf('server/xml/ns.ts')).toBe('server/xml');
  expect(unitOf('muc/room/room.ts')).toBe('muc');
  expect(unitOf('muc/plugins/index.ts')).toBe('muc');
  expect(unitOf('muc/plugins/http_muc_kick/kick.ts')).toBe('muc/plugins/http_muc_kick');
  expect(unitOf('roster/plugins/block_subscriptions/index.ts')).toBe('roster/plugins/block_subscriptions');
  expect(unitOf('http/bosh/session.ts')).toBe('http');
  expect(unitOf('test/unit/x.test.ts')).toBeUndefined();
});

test('a unit imports its own files and only the index.ts of another; server/ imports no feature', () => {
  expect(problem('roster/roster-iq.ts', 'roster/roster-item.ts')).toBeUndefined();
  expect(problem('roster/roster-iq.ts', 'server/xml/index.ts')).toBeUndefined();
  expect(problem('roster/roster-iq.ts', 'server/xml/ns.ts')).toBe('use server/xml/index.ts');
  expect(problem('server/stream/xmpp-stream.ts', 'server/xml/ns.ts')).toBe('use server/xml/index.ts');
  expect(problem('server/router/router.ts', 'muc/index.ts')).toBe('server/ must not import muc/');
  expect(problem('server/router/router.ts', 'salon.ts')).toBe('server/ must not import the top-level files');
  expect(problem('roster/plugins/http_roster_admin/options.ts', 'roster/roster-store.ts')).toBe('use roster/index.ts');
  expect(problem('roster/plugins/http_roster_admin/options.ts', 'roster/index.ts')).toBeUndefined();
  expect(problem('module-catalog.ts', 'muc/plugins/index.ts')).toBeUndefined();
  expect(problem('muc/muc-service.ts', 'salon.ts')).toBe('top-level files are imported only by each other and fixture/');
  expect(problem('fixture/fixture-bin.ts', 'salon.ts')).toBeUndefined();
});

test('imports are found in declarations, import() calls and import() types, not in module augmentations', () => {
  const text = [
    "import { a } from './a.js';",
    "export { b } from '../b/index.js';",
    "import 'node:fs';",
    "type C = import('./c.js').C;",
    "declare module '../hooks/events.js' { interface HookEvents { x: 1 } }",
    "const d = await import('./d.js');",
  ].join('\n');
  expect(relativeImports('x.ts', text)).toEqual([
    { specifier: './a.js', line: 1 },
    { specifier: '../b/index.js', line: 2 },
    { specifier: './c.js', line: 4 },
    { specifier: './d.js', line: 6 },
  ]);
});

test('each allowed exception is still an import of its file, so the list cannot outlive its reason', () => {
  for (const [file, targets] of allowed) {
    const text = readFileSync(join(root, file), 'utf8');
    const imported = relativeImports(file, text).map(({ specifier }) => resolveSpecifier(file, specifier));
    expect({ file, missing: targets.filter((target) => !imported.includes(target)) }).toEqual({ file, missing: [] });
  }
});

test('every production import of another unit goes through that unit\'s index.ts, and server/ imports no feature', () => {
  const files = productionFiles();
  expect(files).toContain('server/xml/index.ts');
  expect(violations(files)).toEqual([]);
});
