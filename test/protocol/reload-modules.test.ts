/**
 * How `ServerCore.reload` treats a module whose options changed, for each kind of module the
 * definition allows (server/modules/module-definition.ts): one with `reconfigure` keeps running and
 * takes the options in place (and may name some that wait for a restart), a plain one is
 * unloaded and loaded again, a `stateful` one without `reconfigure` is left alone until a
 * restart. Real modules on a real core; their registrations are read from the host's disco.
 */
import { afterEach, expect, test } from '@jest/globals';
import * as z from 'zod';
import { coreModules, defineModule, type AnyModuleDefinition } from '../../server/modules/index.js';
import { validateConfig, type ServerConfig } from '../../server/config/index.js';
import { ServerCore } from '../../server/core/index.js';
import { silentLogger } from '../../server/log/index.js';
import { createMemoryDriver } from '../../server/storage/index.js';

/** Each load adds a feature naming the module, its option and how many times it was loaded. */
const loads = new Map<string, number>();
function featureModule(name: string, extra: Partial<AnyModuleDefinition> = {}): AnyModuleDefinition {
  return defineModule({
    name,
    description: `test module ${name}`,
    options: { [`${name}_value`]: z.string().default('one').describe('a value shown in disco') },
    load(ctx) {
      const count = (loads.get(name) ?? 0) + 1;
      loads.set(name, count);
      ctx.addFeature(`urn:test:${name}:${String(ctx.options[`${name}_value`])}:load${count}`);
    },
    ...extra,
  }) as AnyModuleDefinition;
}

const inPlace: string[] = [];
const catalog = new Map<string, AnyModuleDefinition>([
  ...coreModules.map((m): [string, AnyModuleDefinition] => [m.name, m]),
  ['plain', featureModule('plain')],
  ['keeper', featureModule('keeper', { stateful: true })],
  ['tuner', featureModule('tuner', {
    stateful: true,
    reconfigure(ctx, options) {
      inPlace.push(`${String(ctx.options.tuner_value)}->${String(options.tuner_value)}`);
      return options.tuner_value === 'restart-me' ? ['tuner_value'] : [];
    },
  })],
  ['broken', featureModule('broken', { load: () => Promise.reject(new Error('cannot load')) })],
]);

function config(values: Record<string, unknown>): ServerConfig {
  const result = validateConfig({
    c2s_ports: [], c2s_direct_tls_ports: [], modules_enabled: ['plain', 'keeper', 'tuner'], ...values,
    hosts: [{ name: 'localhost', kind: 'user', options: {} }],
  }, catalog, undefined);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

let core: ServerCore | undefined;
afterEach(async () => {
  await core?.stop();
  core = undefined;
  loads.clear();
  inPlace.length = 0;
});

async function startCore(values: Record<string, unknown>): Promise<ServerCore> {
  core = new ServerCore({ config: config(values), catalog, logger: silentLogger(), storage: createMemoryDriver(), tls: undefined });
  await core.start();
  return core;
}

function testFeatures(server: ServerCore): string[] {
  return server.host('localhost')!.disco.features.filter((f) => f.startsWith('urn:test:')).sort();
}

test('a plain module is loaded again with its new options; a stateful one waits; reconfigure applies in place', async () => {
  const server = await startCore({});
  expect(testFeatures(server)).toEqual(['urn:test:keeper:one:load1', 'urn:test:plain:one:load1', 'urn:test:tuner:one:load1']);
  const report = await server.reload(config({ plain_value: 'two', keeper_value: 'two', tuner_value: 'two' }));
  expect(report.changes).toEqual(expect.arrayContaining([
    { host: 'localhost', kind: 'module-reloaded', name: 'plain', details: ['plain_value'], outcome: 'applied' },
    { host: 'localhost', kind: 'module-reconfigured', name: 'keeper', details: ['keeper_value'], outcome: 'needs-restart', reason: 'stateful module without reconfigure' },
    { host: 'localhost', kind: 'module-reconfigured', name: 'tuner', details: ['tuner_value'], outcome: 'applied' },
  ]));
  expect(report.changes).toHaveLength(3);
  // The old registrations are gone, the new load registered its own; the others never unloaded.
  expect(testFeatures(server)).toEqual(['urn:test:keeper:one:load1', 'urn:test:plain:two:load2', 'urn:test:tuner:one:load1']);
  expect(inPlace).toEqual(['one->two']);

  // The same config again: nothing new, the stateful module's change still waits.
  const again = await server.reload(config({ plain_value: 'two', keeper_value: 'two', tuner_value: 'two' }));
  expect(again.needsRestart).toEqual(['localhost: keeper (keeper_value)']);
  expect(again.applied).toEqual([]);
  expect(inPlace).toEqual(['one->two']);
});

test('a reconfigure may leave options for a restart; they stay reported until then', async () => {
  const server = await startCore({});
  const first = await server.reload(config({ tuner_value: 'restart-me' }));
  expect(first.needsRestart).toEqual(['localhost: tuner (tuner_value)']);
  const second = await server.reload(config({ tuner_value: 'restart-me' }));
  expect(second.needsRestart).toEqual(['localhost: tuner (tuner_value)']);
  expect(inPlace).toEqual(['one->restart-me']);
});

test('a module that fails to load on reload is reported failed and leaves nothing behind; the rest applies', async () => {
  const server = await startCore({});
  const report = await server.reload(config({ modules_enabled: ['plain', 'keeper', 'broken'] }));
  expect(report.failed).toEqual(['localhost: +broken']);
  expect(report.applied).toEqual(['localhost: -tuner']);
  expect(server.modulesOn('localhost')).not.toContain('broken');
  expect(testFeatures(server)).toEqual(['urn:test:keeper:one:load1', 'urn:test:plain:one:load1']);
});
