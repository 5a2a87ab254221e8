/**
 * A host this server serves: a VirtualHost (user accounts) or a Component (a service such as MUC).
 * Each host has its own hook bus, as in Prosody, so a plugin enabled on one host never sees
 * another host's events.
 */
import { HookBus, type HookEvents } from '../hooks/index.js';
import type { Logger } from '../log/index.js';
import { DiscoRegistry } from './disco-registry.js';

export type HostKind = 'user' | 'component';

export interface HostSettings {
  name: string;
  kind: HostKind;
  /** For components: the component type, e.g. `muc`. */
  componentType?: string;
  /** Options set in this host's section of the config (Prosody names). */
  options: Readonly<Record<string, unknown>>;
}

export class Host {
  readonly name: string;
  readonly kind: HostKind;
  readonly componentType: string | undefined;
  readonly hooks: HookBus<HookEvents>;
  /** What the host itself says in service discovery. */
  readonly disco = new DiscoRegistry();
  /** Features every account of this host has (XEP-0030 on a bare JID), e.g. blocking. */
  readonly accountDisco = new DiscoRegistry();
  readonly logger: Logger;
  readonly #options: Readonly<Record<string, unknown>>;
  readonly #globals: Readonly<Record<string, unknown>>;

  constructor(settings: HostSettings, globals: Readonly<Record<string, unknown>>, logger: Logger) {
    this.name = settings.name;
    this.kind = settings.kind;
    this.componentType = settings.componentType;
    this.#options = settings.options;
    this.#globals = globals;
    this.logger = logger.child({ host: settings.name });
    this.hooks = new HookBus<HookEvents>(this.logger);
  }

  /** Looks an option up on this host, then globally (Prosody's rule); undefined when unset. */
  option(name: string): unknown {
    return Object.hasOwn(this.#options, name) ? this.#options[name] : this.#globals[name];
  }
}
