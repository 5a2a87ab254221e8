/**
 * Which route of a host's `RouteTable` serves a request. An @koa/router instance does the path
 * matching; it is built per table and rebuilt when the table's routes change (routes are few
 * and change rarely, at module load and unload).
 */
import Router, { type Layer } from '@koa/router';
import type { RouteEntry, RouteTable } from './route-table.js';

export type RouteMatch =
  | { readonly kind: 'route'; readonly entry: RouteEntry; readonly rawRest: string }
  | { readonly kind: 'method-not-allowed'; readonly entry: RouteEntry; readonly allow: readonly string[] }
  | { readonly kind: 'not-found' };

interface CompiledRoutes {
  readonly generation: number;
  readonly router: Router;
  readonly entries: Map<Layer, RouteEntry>;
}

const compiledByTable = new WeakMap<RouteTable, CompiledRoutes>();

/** An exact route beats a prefix route; a longer prefix beats a shorter one. */
function moreSpecific(a: RouteEntry, b: RouteEntry): RouteEntry {
  if (a.path.isPrefix !== b.path.isPrefix) return a.path.isPrefix ? b : a;
  return b.path.pattern.length > a.path.pattern.length ? b : a;
}

function compile(table: RouteTable): CompiledRoutes {
  const cached = compiledByTable.get(table);
  if (cached !== undefined && cached.generation === table.generation) return cached;
  // Paths are case-sensitive and a trailing slash is significant (`/muc_kick/` is not `/muc_kick`).
  const router = new Router({ strict: true, sensitive: true });
  const entries = new Map<Layer, RouteEntry>();
  for (const entry of table.routes) {
    // Requests are dispatched from the match result; the layer's own middleware never runs.
    const layer = router.register(entry.path.pattern, [...entry.methods], () => undefined);
    if (layer instanceof Router) throw new TypeError('a single path registers a single layer');
    entries.set(layer, entry);
  }
  const compiled = { generation: table.generation, router, entries };
  compiledByTable.set(table, compiled);
  return compiled;
}

/** What serves `method` on `path` (raw, undecoded) in `table`. */
export function matchRoute(table: RouteTable, path: string, method: string): RouteMatch {
  const { router, entries } = compile(table);
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
