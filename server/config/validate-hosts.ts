/**
 * Validation of the `hosts` list: entries built by `VirtualHost`/`Component`, valid and unique
 * domain names, known component types, at least one VirtualHost, and each host's options.
 */
import type { HostSettings } from '../host/index.js';
import { normaliseDomain } from '../jid/index.js';
import { isJsonObject } from '../net/index.js';
import type { ConfigError } from './config-error.js';
import { suggestionSuffix } from './did-you-mean.js';
import type { OptionIndex } from './option-index.js';
import { validateSection } from './validate-section.js';

export interface HostsResult {
  hosts: HostSettings[];
  errors: ConfigError[];
}

interface RawHost {
  kind: 'user' | 'component';
  name: string;
  componentType: string | undefined;
  options: Readonly<Record<string, unknown>>;
}

/** Reads one entry of `hosts`; a message when it was not built by VirtualHost/Component. */
function readEntry(entry: unknown, position: number): RawHost | string {
  const what = `hosts[${position}] is not a VirtualHost(name, options) or Component(name, type, options) entry`;
  if (!isJsonObject(entry) || typeof entry.name !== 'string') return what;
  const options = entry.options ?? {};
  if (!isJsonObject(options)) return `${what}: its options must be an object`;
  if (entry.kind === 'user') return { kind: 'user', name: entry.name, componentType: undefined, options };
  if (entry.kind !== 'component') return what;
  if (typeof entry.componentType !== 'string') return `${what}: a Component needs a type such as "muc"`;
  return { kind: 'component', name: entry.name, componentType: entry.componentType, options };
}

/** Problems with the host's identity: its name, duplicates, its component type. */
function identityProblem(raw: RawHost, name: string, seen: Set<string>, index: OptionIndex): string | undefined {
  if (seen.has(name)) return `host "${name}" is declared more than once`;
  const types = index.componentTypes();
  if (raw.componentType !== undefined && !types.has(raw.componentType)) {
    return `unknown component type "${raw.componentType}" for host "${name}"${suggestionSuffix(raw.componentType, types)}`;
  }
  return undefined;
}

export function validateHosts(input: unknown, index: OptionIndex, file: string | undefined): HostsResult {
  const hostsError = (message: string): ConfigError => ({ option: 'hosts', message, ...(file === undefined ? {} : { file }) });
  if (!Array.isArray(input)) {
    return { hosts: [], errors: [hostsError('"hosts" must be a list of VirtualHost(...) and Component(...) entries')] };
  }
  const errors: ConfigError[] = [];
  const hosts: HostSettings[] = [];
  const seen = new Set<string>();
  input.forEach((entry: unknown, position) => {
    const raw = readEntry(entry, position);
    if (typeof raw === 'string') {
      errors.push(hostsError(raw));
      return;
    }
    const name = normaliseDomain(raw.name);
    if (name === undefined) {
      errors.push(hostsError(`host name "${raw.name}" is not a valid domain name`));
      return;
    }
    const problem = identityProblem(raw, name, seen, index);
    if (problem !== undefined) {
      errors.push(hostsError(problem));
      return;
    }
    seen.add(name);
    const section = validateSection(raw.options, index, { file, host: name });
    errors.push(...section.errors);
    const settings: HostSettings = { name, kind: raw.kind, options: section.values };
    if (raw.componentType !== undefined) settings.componentType = raw.componentType;
    hosts.push(settings);
  });
  if (!hosts.some((host) => host.kind === 'user') && !errors.some((e) => e.option === 'hosts')) {
    errors.push(hostsError('"hosts" must contain at least one VirtualHost'));
  }
  return { hosts, errors };
}
