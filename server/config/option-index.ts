/**
 * Which option names exist: the core options plus every option a module of the catalog
 * declares. Two modules may read the same option; a value must then satisfy both schemas.
 */
import type * as z from 'zod';
import type { AnyModuleDefinition } from '../modules/index.js';
import { coreOptionShape } from './core-options.js';

/** A module option: the schema it must satisfy and the module that declared it. */
export interface ModuleOptionSchema {
  module: string;
  schema: z.core.$ZodType;
}

export class OptionIndex {
  readonly catalog: ReadonlyMap<string, AnyModuleDefinition>;
  readonly #moduleOptions = new Map<string, ModuleOptionSchema[]>();

  constructor(catalog: ReadonlyMap<string, AnyModuleDefinition>) {
    this.catalog = catalog;
    for (const definition of catalog.values()) {
      for (const [name, schema] of Object.entries(definition.options ?? {})) {
        const list = this.#moduleOptions.get(name) ?? [];
        list.push({ module: definition.name, schema });
        this.#moduleOptions.set(name, list);
      }
    }
  }

  /** The module schemas for an option; empty for core and unknown options. */
  moduleSchemas(name: string): readonly ModuleOptionSchema[] {
    return this.#moduleOptions.get(name) ?? [];
  }

  /** Every option name a config may use (for did-you-mean). */
  knownNames(): string[] {
    return [...Object.keys(coreOptionShape), ...this.#moduleOptions.keys()];
  }

  /** Component types some module serves. */
  componentTypes(): Set<string> {
    const types = new Set<string>();
    for (const definition of this.catalog.values()) {
      for (const type of definition.componentTypes ?? []) types.add(type);
    }
    return types;
  }
}
