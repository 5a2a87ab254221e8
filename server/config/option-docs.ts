/**
 * Documentation of every option a config may use: the core options and those each module of
 * the catalog declares, with defaults and descriptions (`salon check --help`, and the test that
 * keeps `prosody.cfg.example.ts` complete).
 */
import * as z from 'zod';
import type { AnyModuleDefinition } from '../modules/index.js';
import type { OptionDoc } from './core-options.js';
import { OptionIndex } from './option-index.js';
import { PARSE_ONCE } from './parse-once.js';

/** The options one module declares. */
export interface ModuleOptionDocs {
  module: string;
  options: OptionDoc[];
}

/** Every module of the catalog that declares options, with its options in declaration order. */
export function moduleOptionDocs(catalog: ReadonlyMap<string, AnyModuleDefinition>): ModuleOptionDocs[] {
  const modules: ModuleOptionDocs[] = [];
  for (const definition of catalog.values()) {
    const options = Object.entries(definition.options ?? {}).map(([name, schema]): OptionDoc => {
      const parsed = z.safeParse(schema, undefined, PARSE_ONCE);
      return {
        name,
        description: z.globalRegistry.get(schema)?.description ?? '',
        defaultValue: parsed.success ? parsed.data : undefined,
        scope: 'global or host',
      };
    });
    if (options.length > 0) modules.push({ module: definition.name, options });
  }
  return modules;
}

/** The name of every option a config may use, core options first. */
export function allOptionNames(catalog: ReadonlyMap<string, AnyModuleDefinition>): string[] {
  return [...new Set(new OptionIndex(catalog).knownNames())];
}

