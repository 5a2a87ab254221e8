/**
 * What a config file imports (`import { defineConfig, VirtualHost, Component } from 'salon'`).
 * The loader aliases `salon` to this file, so it must stay free of runtime imports: loading a
 * config file then costs one small transform, not the whole server.
 */
import type { CoreOptionsInput, HostCoreOptionsInput } from './core-options.js';

/** A host section: the per-host core options, plus options declared by modules. */
export type HostOptions = HostCoreOptionsInput & { readonly [option: string]: unknown };

/** One entry of `hosts`, as built by `VirtualHost` or `Component`. */
export interface HostInput {
  /** `user` for a VirtualHost (accounts live there), `component` for a service such as MUC. */
  readonly kind: 'user' | 'component';
  readonly name: string;
  /** For components: the type of service (`muc`). */
  readonly componentType?: string;
  readonly options: HostOptions;
}

/** The default export of a config file: global options and the list of hosts. */
export type ConfigInput = CoreOptionsInput & {
  readonly hosts: readonly HostInput[];
  readonly [option: string]: unknown;
};

/** Types a config file's default export; returns its argument unchanged. */
export function defineConfig<T extends ConfigInput>(input: T): T {
  return input;
}

/** A host with user accounts (Prosody's `VirtualHost "example.org"`). */
export function VirtualHost(name: string, options: HostOptions = {}): HostInput {
  return { kind: 'user', name, options };
}

/** A component host serving one type of service (Prosody's `Component "conference.example.org" "muc"`). */
export function Component(name: string, type: string, options: HostOptions = {}): HostInput {
  return { kind: 'component', name, componentType: type, options };
}
