/** `salon check`: validate the config and describe what would start. */
import * as z from 'zod';
import {
  coreOptions, lookupOption, modulesForHost, resolvedDataPath, type ServerConfig,
} from '../config/index.js';
import type { AnyModuleDefinition } from '../modules/index.js';

type Catalog = ReadonlyMap<string, AnyModuleDefinition>;

/** A global option as the server will see it: set, else the declaring module's default. */
function effectiveGlobal(config: ServerConfig, catalog: Catalog, name: string): unknown {
  const value = lookupOption(config, undefined, name);
  if (value !== undefined) return value;
  for (const definition of catalog.values()) {
    const schema = definition.options?.[name];
    if (schema === undefined) continue;
    const parsed = z.safeParse(schema, undefined);
    if (parsed.success) return parsed.data;
  }
  return undefined;
}

function portList(value: unknown): number[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const ports = value.filter((port: unknown): port is number => typeof port === 'number');
  return ports.length === value.length ? ports : undefined;
}

function listenerLines(config: ServerConfig, catalog: Catalog): string[] {
  const core = coreOptions(config);
  const c2sInterfaces = core.c2s_interfaces.join(', ');
  const rows: Array<[string, readonly number[] | undefined, string]> = [
    ['c2s (STARTTLS)', core.c2s_ports, c2sInterfaces],
    ['c2s (Direct TLS)', core.c2s_direct_tls_ports, c2sInterfaces],
  ];
  // HTTP listeners belong to the HTTP module: shown when a module of this build declares them.
  const interfacesOf = (option: string): string => {
    const value = effectiveGlobal(config, catalog, option);
    return Array.isArray(value) ? value.map(String).join(', ') : '*';
  };
  rows.push(['http', portList(effectiveGlobal(config, catalog, 'http_ports')), interfacesOf('http_interfaces')]);
  rows.push(['https', portList(effectiveGlobal(config, catalog, 'https_ports')), interfacesOf('https_interfaces')]);
  return rows
    .filter((row): row is [string, readonly number[], string] => row[1] !== undefined)
    .map(([name, ports, on]) => `  ${name.padEnd(18)} ${ports.length === 0 ? 'off' : `${ports.join(', ')} on ${on}`}`);
}

function hostLines(config: ServerConfig, catalog: Catalog): string[] {
  return config.hosts.map((host) => {
    const kind = host.kind === 'user' ? 'VirtualHost' : `Component (${host.componentType ?? '?'})`;
    const modules = modulesForHost(config, catalog, host).modules;
    return `  ${host.name}  ${kind}\n      modules: ${modules.length === 0 ? '(none)' : modules.join(', ')}`;
  });
}

/** The report printed by `salon check` for a valid config. */
export function describeConfig(config: ServerConfig, catalog: Catalog, file: string | undefined, cwd: string): string {
  const core = coreOptions(config);
  const storage = typeof core.storage === 'string' ? core.storage : JSON.stringify(core.storage);
  return [
    `Config: ${file ?? 'built-in default (no config file found)'} is valid.`,
    `Data: ${resolvedDataPath(config, cwd)}   Storage: ${storage}   Log level: ${core.log_level}`,
    'Listeners:',
    ...listenerLines(config, catalog),
    'Hosts:',
    ...hostLines(config, catalog),
    '',
  ].join('\n');
}
