/**
 * A module loaded on a host: the `ModuleContext` handed to it, recording every registration so
 * that unloading removes hooks, features, services and timers, then runs `onUnload` callbacks.
 */
import type { Element } from 'ltx';
import type { AccountStore } from '../accounts/index.js';
import type { DiscoIdentity, DiscoItem, Host } from '../host/index.js';
import type { HookEvents, HookHandler } from '../hooks/index.js';
import { Priority } from '../hooks/index.js';
import type { Jid } from '../jid/index.js';
import type { Logger } from '../log/index.js';
import type { SessionLocator } from '../session/index.js';
import type { ServerStatsReader } from '../stats/index.js';
import { openAppendLog, type AppendLog, type ArchiveStore, type KeyValueStore } from '../storage/index.js';
import type { ModuleContext } from './module-context.js';
import type { ModuleRuntime } from './module-runtime.js';
import type { ServiceKey } from './service-key.js';

export class LoadedModule<Options = Record<string, unknown>> implements ModuleContext<Options> {
  readonly name: string;
  readonly host: Host;
  #options: Options;
  readonly logger: Logger;
  readonly #runtime: ModuleRuntime;
  readonly #cleanups: (() => void)[] = [];
  readonly #unloadCallbacks: (() => void | Promise<void>)[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  #unloaded = false;

  constructor(name: string, host: Host, options: Options, runtime: ModuleRuntime) {
    this.name = name;
    this.host = host;
    this.#options = options;
    this.#runtime = runtime;
    this.logger = host.logger.child({ module: name });
  }

  get options(): Options {
    return this.#options;
  }

  /** After a config reload's `reconfigure`: the module runs with `options` from now on. */
  replaceOptions(options: Options): void {
    this.#options = options;
  }

  get sessions(): SessionLocator {
    return this.#runtime.sessions;
  }

  get stats(): ServerStatsReader {
    return this.#runtime.stats;
  }

  get accounts(): AccountStore | undefined {
    return this.#runtime.accounts(this.host.name);
  }

  hostByName(name: string): Host | undefined {
    return this.#runtime.host(name);
  }

  hosts(): readonly Host[] {
    return this.#runtime.hosts();
  }

  isAdmin(jid: Jid): boolean {
    return this.#runtime.admins.has(jid.bare().toString());
  }

  hook<K extends keyof HookEvents>(name: K, handler: HookHandler<HookEvents[K]>, priority: number = Priority.Default): void {
    this.#cleanups.push(this.host.hooks.on(name, handler, priority));
  }

  hookOn<K extends keyof HookEvents>(host: Host, name: K, handler: HookHandler<HookEvents[K]>, priority: number = Priority.Default): void {
    this.#cleanups.push(host.hooks.on(name, handler, priority));
  }

  send(stanza: Element): void {
    this.#settle(this.#runtime.router.send(stanza));
  }

  sendParsed(stanza: Element, from: Jid, to: Jid): void {
    this.#settle(this.#runtime.router.route(stanza, from, to, undefined));
  }

  #settle(pending: void | Promise<void>): void {
    if (pending instanceof Promise) pending.catch((error: unknown) => this.logger.error({ err: error }, 'routing failed'));
  }

  storage<T>(store: string): KeyValueStore<T> {
    return this.#runtime.storage.open<T>(this.host.name, store);
  }

  logStorage<T>(store: string): AppendLog<T> {
    return openAppendLog<T>(this.#runtime.storage, this.host.name, store);
  }

  archiveStorage(store: string): ArchiveStore {
    return this.#runtime.storage.openArchive(this.host.name, store);
  }

  addFeature(feature: string): void {
    this.#cleanups.push(this.host.disco.addFeature(feature));
  }

  addIdentity(identity: DiscoIdentity): void {
    this.#cleanups.push(this.host.disco.addIdentity(identity));
  }

  addItem(item: DiscoItem): void {
    this.#cleanups.push(this.host.disco.addItem(item));
  }

  addDiscoForm(form: Element): void {
    this.#cleanups.push(this.host.disco.addForm(form));
  }

  provide<T>(key: ServiceKey<T>, implementation: T): void {
    this.#cleanups.push(this.#runtime.services.provide(this.host.name, key, implementation));
  }

  service<T>(key: ServiceKey<T>, host?: Host): T | undefined {
    return this.#runtime.services.get((host ?? this.host).name, key);
  }

  setTimeout(callback: () => void, ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      callback();
    }, ms);
    this.#timers.add(timer);
    return timer;
  }

  setInterval(callback: () => void, ms: number): NodeJS.Timeout {
    const timer = setInterval(callback, ms);
    this.#timers.add(timer);
    return timer;
  }

  onUnload(callback: () => void | Promise<void>): void {
    this.#unloadCallbacks.push(callback);
  }

  /** Removes everything the module registered, then runs its unload callbacks (latest first). */
  async unload(): Promise<void> {
    if (this.#unloaded) return;
    this.#unloaded = true;
    for (const cleanup of this.#cleanups.splice(0).reverse()) cleanup();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const callback of this.#unloadCallbacks.splice(0).reverse()) {
      try {
        await callback();
      } catch (error) {
        this.logger.error({ err: error }, 'unload callback failed');
      }
    }
  }
}
