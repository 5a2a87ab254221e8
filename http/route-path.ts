/**
 * Where a route is published: its default path, relocated by `http_paths` (Prosody's map of a
 * module's short name to its base path), and the router pattern matching it.
 */
import { err, ok, type Result } from '../server/errors/index.js';

/** A path of letters, digits and URL punctuation; no query, fragment, escapes or spaces. */
const PATH = /^\/[^\s?#%*]*$/;
const PREFIX_MARK = '/*';
/** The name of the router parameter holding a prefix route's rest. */
export const REST_PARAMETER = 'rest';

export interface PathSpec {
  readonly path: string;
  readonly name?: string | undefined;
  readonly basePath?: string | undefined;
}

export interface ResolvedPath {
  /** As shown in logs: `/roster_admin/refresh/*`. */
  readonly published: string;
  /** For the router (path-to-regexp syntax, literal text escaped). */
  readonly pattern: string;
  readonly isPrefix: boolean;
}

/** path-to-regexp 8 gives these characters a meaning; a published path uses them literally. */
function escapePattern(text: string): string {
  return text.replace(/[{}()[\]+?!:*\\]/g, '\\$&');
}

function joinBase(base: string, rest: string): string {
  const trimmed = base.length > 1 && base.endsWith('/') ? base.slice(0, -1) : base;
  if (rest === '') return trimmed;
  return trimmed === '/' ? rest : trimmed + rest;
}

/** The base path of a short name: `http_paths[name]`, else the default base. */
export function basePathFor(name: string, paths: Readonly<Record<string, string>>, defaultBase?: string): string {
  return paths[name] ?? defaultBase ?? `/${name}`;
}

/** Applies `http_paths` to a route's default path and builds its pattern. */
export function resolvePath(spec: PathSpec, paths: Readonly<Record<string, string>>): Result<ResolvedPath, string> {
  const isPrefix = spec.path.endsWith(PREFIX_MARK);
  const fixed = isPrefix ? spec.path.slice(0, -PREFIX_MARK.length) : spec.path;
  if (!PATH.test(isPrefix && fixed === '' ? '/' : fixed)) {
    return err(`invalid route path "${spec.path}": an absolute path, optionally ending in "/*"`);
  }
  let path = fixed;
  if (spec.name !== undefined) {
    const base = spec.basePath ?? `/${spec.name}`;
    if (fixed !== base && !fixed.startsWith(`${base}/`)) {
      return err(`route path "${spec.path}" does not start with its base "${base}"`);
    }
    path = joinBase(basePathFor(spec.name, paths, base), fixed.slice(base.length));
  }
  if (!isPrefix) return ok({ published: path, pattern: escapePattern(path), isPrefix });
  const prefix = path === '/' ? '' : path;
  return ok({
    published: `${prefix}${PREFIX_MARK}`,
    pattern: `${escapePattern(prefix)}/{*${REST_PARAMETER}}`,
    isPrefix,
  });
}
