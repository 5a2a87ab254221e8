/**
 * The routes and upgrade handlers of one XMPP host. Modules add and remove routes while the
 * server runs (load, unload); `generation` changes with every change, so a matcher built from
 * `routes` (`route-matcher.ts`) knows when to rebuild. Matching lives apart so that the router
 * library loads with the first HTTP request, not with the server.
 */
import type { HttpMethod, RouteSpec, UpgradeSpec } from './http-types.js';
import { resolvePath, type ResolvedPath } from './route-path.js';

export interface RouteEntry {
  readonly spec: RouteSpec;
  readonly methods: readonly HttpMethod[];
  readonly path: ResolvedPath;
}

export interface UpgradeEntry {
  readonly spec: UpgradeSpec;
  readonly path: string;
}

function methodsOf(spec: RouteSpec): HttpMethod[] {
  const methods = [...(spec.methods ?? []), ...(spec.method === undefined ? [] : [spec.method])];
  if (methods.length === 0) throw new Error(`route ${spec.path}: no method given`);
  return [...new Set(methods)];
}

export class RouteTable {
  readonly host: string;
  readonly #paths: Readonly<Record<string, string>>;
  readonly #routes = new Set<RouteEntry>();
  readonly #upgrades = new Map<string, UpgradeEntry>();
  #generation = 0;

  constructor(host: string, paths: Readonly<Record<string, string>>) {
    this.host = host;
    this.#paths = paths;
  }

  get paths(): Readonly<Record<string, string>> {
    return this.#paths;
  }

  /** Adds a route; throws when the path is malformed or a method is already served there. */
  add(spec: RouteSpec): { entry: RouteEntry; dispose: () => void } {
    const path = resolvePath(spec, this.#paths);
    if (!path.ok) throw new Error(`${this.host}: ${path.error}`);
    const methods = methodsOf(spec);
    for (const other of this.#routes) {
      const shared = other.methods.filter((m) => methods.includes(m));
      if (other.path.pattern === path.value.pattern && shared.length > 0) {
        throw new Error(`${this.host}: ${shared.join(', ')} ${path.value.published} is already served`);
      }
    }
    const entry: RouteEntry = { spec, methods, path: path.value };
    this.#routes.add(entry);
    this.#generation++;
    return {
      entry,
      dispose: () => {
        if (this.#routes.delete(entry)) this.#generation++;
      },
    };
  }

  addUpgrade(spec: UpgradeSpec): { entry: UpgradeEntry; dispose: () => void } {
    const path = resolvePath(spec, this.#paths);
    if (!path.ok || path.value.isPrefix) throw new Error(`${this.host}: invalid upgrade path "${spec.path}"`);
    const published = path.value.published;
    if (this.#upgrades.has(published)) throw new Error(`${this.host}: upgrades on ${published} are already handled`);
    const entry: UpgradeEntry = { spec, path: published };
    this.#upgrades.set(published, entry);
    return {
      entry,
      dispose: () => {
        if (this.#upgrades.get(published) === entry) this.#upgrades.delete(published);
      },
    };
  }

  upgradeFor(path: string): UpgradeEntry | undefined {
    return this.#upgrades.get(path);
  }

  /** Changes whenever a route is added or removed. */
  get generation(): number {
    return this.#generation;
  }

  get routes(): readonly RouteEntry[] {
    return [...this.#routes];
  }

  get upgrades(): readonly UpgradeEntry[] {
    return [...this.#upgrades.values()];
  }
}
