/**
 * The routes and upgrade handlers of one XMPP host. Modules add and remove routes while the
 * server runs (load, unload), so the @koa/router instance matching them is rebuilt lazily after
 * each change; routes are few and change rarely.
 */
import Router, { type Layer } from '@koa/router';
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

export type RouteMatch =
  | { readonly kind: 'route'; readonly entry: RouteEntry; readonly rawRest: string }
  | { readonly kind: 'method-not-allowed'; readonly entry: RouteEntry; readonly allow: readonly string[] }
  | { readonly kind: 'not-found' };

function methodsOf(spec: RouteSpec): HttpMethod[] {
  const methods = [...(spec.methods ?? []), ...(spec.method === undefined ? [] : [spec.method])];
  if (methods.length === 0) throw new Error(`route ${spec.path}: no method given`);
  return [...new Set(methods)];
}

/** An exact route beats a prefix route; a longer prefix beats a shorter one. */
function moreSpecific(a: RouteEntry, b: RouteEntry): RouteEntry {
  if (a.path.isPrefix !== b.path.isPrefix) return a.path.isPrefix ? b : a;
  return b.path.pattern.length > a.path.pattern.length ? b : a;
}

export class RouteTable {
  readonly host: string;
  readonly #paths: Readonly<Record<string, string>>;
  readonly #routes = new Set<RouteEntry>();
  readonly #upgrades = new Map<string, UpgradeEntry>();
  #router: { router: Router; entries: Map<Layer, RouteEntry> } | undefined;

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
    this.#router = undefined;
    return {
      entry,
      dispose: () => {
        if (this.#routes.delete(entry)) this.#router = undefined;
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

  get routes(): readonly RouteEntry[] {
    return [...this.#routes];
  }

  get upgrades(): readonly UpgradeEntry[] {
    return [...this.#upgrades.values()];
  }

  /** What serves `method` on `path` (raw, undecoded). */
  match(path: string, method: string): RouteMatch {
    const { router, entries } = this.#compiled();
    const found = router.match(path, method);
    if (found.path.length === 0) return { kind: 'not-found' };
    const candidates = found.pathAndMethod.map((layer) => entries.get(layer)).filter((e) => e !== undefined);
    const first = candidates[0];
    if (first === undefined) {
      const allow = new Set(found.path.flatMap((layer) => layer.methods));
      return { kind: 'method-not-allowed', entry: entries.get(found.path[0]!)!, allow: [...allow].sort() };
    }
    const entry = candidates.reduce(moreSpecific, first);
    const layer = found.pathAndMethod.find((l) => entries.get(l) === entry)!;
    return { kind: 'route', entry, rawRest: entry.path.isPrefix ? (layer.captures(path)[0] ?? '') : '' };
  }

  #compiled(): { router: Router; entries: Map<Layer, RouteEntry> } {
    if (this.#router !== undefined) return this.#router;
    // Paths are case-sensitive and a trailing slash is significant (`/muc_kick/` is not `/muc_kick`).
    const router = new Router({ strict: true, sensitive: true });
    const entries = new Map<Layer, RouteEntry>();
    for (const entry of this.#routes) {
      // Requests are dispatched from the match result; the layer's own middleware never runs.
      const layer = router.register(entry.path.pattern, [...entry.methods], () => undefined);
      if (layer instanceof Router) throw new TypeError('a single path registers a single layer');
      entries.set(layer, entry);
    }
    this.#router = { router, entries };
    return this.#router;
  }
}
