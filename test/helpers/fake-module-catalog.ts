/** A small module catalog for configuration tests: a MUC component, an HTTP module and a plain one. */
import * as z from 'zod';
import { defineModule, type AnyModuleDefinition } from '../../server/modules/index.js';

const port = z.number().int().min(0).max(65535);

const muc = defineModule({
  name: 'muc',
  description: 'Multi-user chat rooms.',
  hostKinds: ['component'],
  componentTypes: ['muc'],
  options: {
    max_history_messages: z.number().int().min(0).max(1000).default(20),
    restrict_room_creation: z.union([z.boolean(), z.literal('local')]).default(false),
  },
  load: () => undefined,
});

const http = defineModule({
  name: 'http',
  description: 'The HTTP listener.',
  hostKinds: ['user', 'component'],
  options: {
    http_ports: z.array(port).default(() => [5280]),
    https_ports: z.array(port).default(() => [5281]),
  },
  load: () => undefined,
});

const ping = defineModule({
  name: 'ping',
  description: 'XEP-0199 ping.',
  load: () => undefined,
});

const disco = defineModule({
  name: 'disco',
  description: 'XEP-0030 service discovery; loaded everywhere.',
  autoload: true,
  hostKinds: ['user', 'component'],
  load: () => undefined,
});

const pinger = defineModule({
  name: 'pinger',
  description: 'Needs ping; checks its own options together.',
  requires: ['ping'],
  options: {
    ping_min: z.number().default(1),
    ping_max: z.number().default(10),
  },
  validate: (options) => (options.ping_min > options.ping_max ? 'ping_min must not exceed ping_max' : undefined),
  load: () => undefined,
});

/** Catalog with `muc`, `http`, `ping`, `pinger` and the auto-loaded `disco`. */
export function fakeModuleCatalog(): ReadonlyMap<string, AnyModuleDefinition> {
  const modules: AnyModuleDefinition[] = [muc, http, ping, pinger, disco];
  return new Map(modules.map((m) => [m.name, m]));
}
