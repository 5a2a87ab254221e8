import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  coreOptions, formatConfigErrors, loadConfig, type ConfigError, type ServerConfig,
} from '../../server/config/index.js';
import { coreOptionShape } from '../../server/config/core-options.js';
import { moduleCatalog } from '../../module-catalog.js';

const catalog = moduleCatalog;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'salon-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, text);
  return path;
}

async function load(args: { configPath?: string; env?: NodeJS.ProcessEnv; cwd?: string; catalog?: typeof catalog }): Promise<ServerConfig> {
  const result = await loadConfig({ env: {}, cwd: dir, catalog, ...args });
  if (!result.ok) throw new Error(formatConfigErrors(result.error));
  return result.value;
}

async function failure(args: { configPath?: string; env?: NodeJS.ProcessEnv; cwd?: string }): Promise<ConfigError[]> {
  const result = await loadConfig({ env: {}, cwd: dir, catalog, ...args });
  if (result.ok) throw new Error('expected loading to fail');
  return result.error;
}

const GOOD = `import { defineConfig, VirtualHost, Component } from 'salon';
const limit: number = 2 * 65536; // TypeScript syntax must be accepted
export default defineConfig({
  c2s_stanza_size_limit: limit,
  hosts: [VirtualHost('example.org', { allow_registration: true }), Component('rooms.example.org', 'muc')],
});
`;

describe('loadConfig', () => {
  test('loads an explicit TypeScript file importing from "salon"', async () => {
    const path = await write('explicit/site.config.ts', GOOD);
    const config = await load({ configPath: 'explicit/site.config.ts' });
    expect(config.source).toBe(path);
    expect(config.hosts.map((h) => [h.name, h.kind])).toEqual([['example.org', 'user'], ['rooms.example.org', 'component']]);
    expect(coreOptions(config).c2s_stanza_size_limit).toBe(131072);
    expect(config.hosts[0]?.options).toEqual({ allow_registration: true });
  });

  test('SALON_CONFIG is used when no path is given', async () => {
    const path = await write('env/from-env.ts', GOOD);
    const config = await load({ env: { SALON_CONFIG: path } });
    expect(config.source).toBe(path);
  });

  test('finds salon.config.ts, then salon.config.js, in the working directory', async () => {
    const cwd = join(dir, 'search');
    await write('search/salon.config.js', `export default { hosts: [{ kind: 'user', name: 'js.example', options: {} }] };\n`);
    expect((await load({ cwd })).hosts[0]?.name).toBe('js.example');
    await write('search/salon.config.ts', GOOD);
    expect((await load({ cwd })).source).toBe(join(cwd, 'salon.config.ts'));
  });

  test('without any file: the embedded default', async () => {
    const config = await load({ cwd: join(dir, 'empty-nothing-here') });
    expect(config.source).toBeUndefined();
    expect(config.hosts).toEqual([
      { name: 'localhost', kind: 'user', options: {} },
      { name: 'conference.localhost', kind: 'component', componentType: 'muc', options: {} },
    ]);
    expect(coreOptions(config).c2s_ports).toEqual([5222]);
    expect(coreOptions(config).c2s_direct_tls_ports).toEqual([5223]);
  });

  test('a missing explicit file is an error naming it', async () => {
    expect(await failure({ configPath: 'nope.ts' })).toEqual([{ file: 'nope.ts', message: 'config file not found' }]);
    expect(await failure({ env: { SALON_CONFIG: 'gone.ts' } }))
      .toEqual([{ file: 'gone.ts', message: 'config file not found (from SALON_CONFIG)' }]);
  });

  test('a syntax error names the file', async () => {
    await write('broken.ts', 'export default defineConfig({ hosts: [ \n');
    const [error] = await failure({ configPath: 'broken.ts' });
    expect(error?.file).toBe('broken.ts');
    expect(error?.message).toMatch(/^cannot load the config file: .*broken\.ts:2/);
    expect(error?.message).not.toContain('\n');
  });

  test('a file without a default export is an error', async () => {
    await write('no-default.ts', `export const hosts = [];\n`);
    const [error] = await failure({ configPath: 'no-default.ts' });
    expect(error).toEqual({ file: 'no-default.ts', message: 'the config file has no default export: export default defineConfig({ ... })' });
  });

  test('validation errors name the file relative to the working directory', async () => {
    await write('typo.ts', `import { defineConfig, VirtualHost } from 'salon';
export default defineConfig({ hosts: [VirtualHost('localhost', { c2s_require_encyption: false })] });
`);
    const errors = await failure({ configPath: join(dir, 'typo.ts') });
    expect(formatConfigErrors(errors)).toBe(
      'typo.ts: host "localhost": unknown option "c2s_require_encyption" (did you mean "c2s_require_encryption"?)');
  });
});

describe('environment overrides', () => {
  const cwd = () => join(dir, 'env-empty');

  test('data path, log level and ports replace the config values', async () => {
    const config = await load({
      cwd: cwd(),
      env: {
        SALON_DATA_PATH: '/var/lib/salon', SALON_LOG_LEVEL: 'debug', SALON_C2S_PORT: '15222',
        SALON_C2S_DIRECT_TLS_PORT: 'off', SALON_HTTP_PORT: '8080, 8081', SALON_HTTPS_PORT: '0',
      },
    });
    const core = coreOptions(config);
    expect(core.data_path).toBe('/var/lib/salon');
    expect(core.log_level).toBe('debug');
    expect(core.c2s_ports).toEqual([15222]);
    expect(core.c2s_direct_tls_ports).toEqual([]);
    expect(config.globals.http_ports).toEqual([8080, 8081]);
    expect(config.globals.https_ports).toEqual([0]);
  });

  test('an invalid port names the variable', async () => {
    const errors = await failure({ cwd: cwd(), env: { SALON_C2S_PORT: '52x22' } });
    expect(errors).toEqual([{
      option: 'c2s_ports',
      message: 'environment variable SALON_C2S_PORT: "52x22" is not a port number, a comma-separated list of ports, or "off"',
    }]);
    expect((await failure({ cwd: cwd(), env: { SALON_HTTP_PORT: '70000' } }))[0]?.option).toBe('http_ports');
  });

  test('an overridden value is validated, and the error names the variable', async () => {
    const [error] = await failure({ cwd: cwd(), env: { SALON_LOG_LEVEL: 'chatty' } });
    expect(error?.option).toBe('log_level');
    expect(error?.message).toMatch(/got the string "chatty" \(set by SALON_LOG_LEVEL\)$/);
  });
});

describe('prosody.cfg.example.ts', () => {
  test('validates, and every value in it is the default', async () => {
    const path = new URL('../../prosody.cfg.example.ts', import.meta.url).pathname;
    // The example documents real modules' options: it must validate against the real catalog.
    const { moduleCatalog } = await import('../../module-catalog.js');
    const config = await load({ configPath: path, catalog: moduleCatalog });
    expect(config.hosts.map((h) => [h.name, h.kind, h.componentType])).toEqual([
      ['localhost', 'user', undefined],
      ['conference.localhost', 'component', 'muc'],
    ]);
    const embedded = await load({ cwd: join(dir, 'no-config-here') });
    expect(coreOptions(config)).toEqual(coreOptions(embedded));
  });

  test('documents every core option', async () => {
    const text = await readFile(new URL('../../prosody.cfg.example.ts', import.meta.url), 'utf8');
    const missing = Object.keys(coreOptionShape).filter((name) => !new RegExp(`\\b${name}: `).test(text));
    expect(missing).toEqual([]);
  });
});
