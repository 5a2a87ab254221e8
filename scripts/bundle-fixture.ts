/**
 * Bundles the compiled `salon fixture` entry (`dist/fixture/fixture-bin.js`) into
 * `dist/fixture-bin.cjs`: one CommonJS file that Node reads and compiles at once, and whose
 * compiled code can be kept between runs (`fixture/code-cached-bundle.ts`; Node 20 has no
 * compile cache for ES modules). Run by `npm run build` after `tsc`.
 *
 * - Libraries loaded only on demand stay outside (`LAZY`): a fixture without a config file,
 *   outbound HTTP, a new certificate or an HTTP request (Koa loads with the first one) never
 *   loads them, and bundling would evaluate nothing
 *   sooner but make the file larger to read and compile.
 * - `import.meta.url` is rewritten per module into the URL that module has in `dist/`, so
 *   lookups relative to it (package.json, the config `define` module) find the same files as the
 *   unbundled build, wherever the package is installed.
 */
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const LAZY = ['jiti', 'undici', 'selfsigned', 'koa', '@koa/router', 'pg', 'lmdb'];
const DIST_URL = '__salonDistUrl';

const distRelativeImportMeta: Plugin = {
  name: 'dist-relative-import-meta',
  setup(bundle) {
    bundle.onLoad({ filter: /\.js$/ }, async (args) => {
      if (!args.path.startsWith(DIST + sep)) return undefined;
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const fromDist = relative(DIST, args.path).split(sep).join('/');
      return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromDist)}, ${DIST_URL}).href`), loader: 'js' };
    });
  },
};

/** What both outputs share: CommonJS for Node 20, `import.meta.url` pointing into dist/. */
const COMMON = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  banner: { js: `const ${DIST_URL} = require('node:url').pathToFileURL(__dirname + '/').href;` },
  plugins: [distRelativeImportMeta],
  logLevel: 'warning',
  metafile: true,
} as const satisfies BuildOptions;

const fixture = await build({
  ...COMMON,
  entryPoints: [join(DIST, 'fixture', 'fixture-bin.js')],
  outfile: join(DIST, 'fixture-bin.cjs'),
  external: LAZY,
  // `import()` becomes `require()`: the bundle is compiled through `vm.Script` (for its code
  // cache), which has no dynamic-import callback; every lazy library has a CommonJS entry.
  supported: { 'dynamic-import': false },
  // Whitespace and syntax only: identifiers keep their names, so stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
});

// The package `bin`: a small CommonJS launcher (cli-launcher.ts) that Node starts without its ES
// module loader. It keeps its hashbang and hands every command but `fixture` to dist/cli.js.
const launcher = await build({
  ...COMMON,
  entryPoints: [join(DIST, 'cli-launcher.js')],
  outfile: join(DIST, 'cli.cjs'),
});

for (const result of [fixture, launcher]) {
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    process.stdout.write(`bundled ${relative(ROOT, file)} (${Math.round(output.bytes / 1024)} KiB)\n`);
  }
}
