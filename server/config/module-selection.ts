/**
 * Which modules load on a host, and with which options. Prosody's rule (modulemanager):
 * the auto-loaded modules plus the global `modules_enabled`, minus the global
 * `modules_disabled` (keeping only modules that may load on this kind of host), plus the modules serving a component's type, plus the host's own
 * `modules_enabled`, minus the host's `modules_disabled`; then every module's `requires` is
 * added and whatever a loaded module `replaces` is dropped.
 */
import * as z from 'zod';
import { err, ok, type Result } from '../errors/index.js';
import type { HostSettings } from '../host/index.js';
import type { AnyModuleDefinition } from '../modules/index.js';
import { lookupOption, type ServerConfig } from './server-config.js';
import { PARSE_ONCE } from './parse-once.js';

type Catalog = ReadonlyMap<string, AnyModuleDefinition>;

export interface ModuleSelection {
  /** Module names in load order (configured order, requirements after their dependents). */
  modules: string[];
  /** Configuration mistakes found while selecting (a module enabled on the wrong kind of host). */
  problems: string[];
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function mayLoadOn(definition: AnyModuleDefinition, host: HostSettings): boolean {
  return (definition.hostKinds ?? ['user']).includes(host.kind);
}

function addRequirements(selected: Set<string>, catalog: Catalog, problems: string[]): void {
  const queue = [...selected];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    for (const required of catalog.get(name)?.requires ?? []) {
      if (!catalog.has(required)) problems.push(`module "${name}" requires unknown module "${required}"`);
      else if (!selected.has(required)) {
        selected.add(required);
        queue.push(required);
      }
    }
  }
}

/** The modules loaded on `host` under Prosody's rule (see the file comment). */
export function modulesForHost(config: ServerConfig, catalog: Catalog, host: HostSettings): ModuleSelection {
  const problems: string[] = [];
  const selected = new Set<string>();
  const globalDisabled = new Set(stringList(config.globals.modules_disabled));
  const autoloaded = [...catalog.values()].filter((d) => d.autoload === true).map((d) => d.name);
  for (const name of [...autoloaded, ...stringList(config.globals.modules_enabled)]) {
    const definition = catalog.get(name);
    if (definition !== undefined && !globalDisabled.has(name) && mayLoadOn(definition, host)) selected.add(name);
  }
  if (host.kind === 'component' && host.componentType !== undefined) {
    for (const definition of catalog.values()) {
      if (definition.componentTypes?.includes(host.componentType)) selected.add(definition.name);
    }
  }
  for (const name of stringList(host.options.modules_enabled)) {
    const definition = catalog.get(name);
    if (definition === undefined) continue; // reported as an unknown module by validation
    if (mayLoadOn(definition, host)) selected.add(name);
    else problems.push(`module "${name}" cannot load on a ${host.kind === 'user' ? 'VirtualHost' : 'Component'}`);
  }
  for (const name of stringList(host.options.modules_disabled)) selected.delete(name);
  addRequirements(selected, catalog, problems);
  for (const name of [...selected]) {
    for (const replaced of catalog.get(name)?.replaces ?? []) selected.delete(replaced);
  }
  return { modules: [...selected], problems };
}

/**
 * One options schema per module definition: validation and loading parse each module's options
 * for every host, and building a zod object schema (and zod's compiled parser for it, made at its
 * first parse) costs far more than a parse.
 */
const optionsSchemas = new WeakMap<AnyModuleDefinition, z.ZodObject>();

function optionsSchemaOf(definition: AnyModuleDefinition): z.ZodObject {
  let schema = optionsSchemas.get(definition);
  if (schema === undefined) {
    schema = z.object(definition.options ?? {});
    optionsSchemas.set(definition, schema);
  }
  return schema;
}

/**
 * A module's options for one host: each looked up on the host, then globally, then the
 * schema's default; parsed, then checked by the module's own `validate`.
 */
export function moduleOptionsFor(
  config: ServerConfig,
  definition: AnyModuleDefinition,
  hostName: string,
): Result<Record<string, unknown>, string> {
  const shape = definition.options ?? {};
  const raw: Record<string, unknown> = {};
  for (const name of Object.keys(shape)) {
    const value = lookupOption(config, hostName, name);
    if (value !== undefined) raw[name] = value;
  }
  const parsed = optionsSchemaOf(definition).safeParse(raw, PARSE_ONCE);
  if (!parsed.success) return err(`module "${definition.name}": ${z.prettifyError(parsed.error)}`);
  const problem = definition.validate?.(parsed.data);
  return problem === undefined ? ok(parsed.data) : err(`module "${definition.name}": ${problem}`);
}
