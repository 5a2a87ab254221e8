/**
 * The operation table: finds the operation for a method and a path below the API's base, and
 * the raw values of its path parameters. Each path segment is percent-decoded on its own, after
 * splitting, so an encoded `/` (`%2F`) stays inside one parameter. Where two templates match, the
 * one with a literal segment earlier wins (`/rooms/count` before `/rooms/{room}`).
 */
import type { AnyAdminOperation } from './admin-operation.js';

type Segment = { readonly literal: string } | { readonly param: string };

interface Template {
  readonly operation: AnyAdminOperation;
  readonly segments: readonly Segment[];
}

export type OperationMatch =
  | { readonly kind: 'found'; readonly operation: AnyAdminOperation; readonly params: Readonly<Record<string, string>> }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'malformed-path' }
  | { readonly kind: 'method-not-allowed'; readonly allow: readonly string[] };

const PARAM = /^\{([A-Za-z][A-Za-z0-9_]*)\}$/;

function compile(operation: AnyAdminOperation): Template {
  if (!operation.path.startsWith('/')) throw new Error(`admin operation ${operation.operationId}: path must start with "/"`);
  const segments = operation.path.slice(1).split('/').map((part): Segment => {
    const param = PARAM.exec(part);
    if (param !== null) return { param: param[1]! };
    if (part === '' || /[{}%?#]/.test(part)) throw new Error(`admin operation ${operation.operationId}: bad path segment "${part}"`);
    return { literal: part };
  });
  return { operation, segments };
}

function decodeSegments(rest: string): string[] | undefined {
  try {
    return rest.split('/').map((part) => decodeURIComponent(part));
  } catch {
    // A malformed escape (`%zz`) or invalid UTF-8: the caller answers 400 rather than guessing.
    return undefined;
  }
}

/** Params when the template matches the decoded segments (empty segments match nothing). */
function bind(template: Template, raw: readonly string[], decoded: readonly string[]): Record<string, string> | undefined {
  if (template.segments.length !== decoded.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of template.segments.entries()) {
    const value = decoded[index]!;
    if ('literal' in segment) {
      if (raw[index] !== segment.literal) return undefined;
    } else {
      if (value === '') return undefined;
      params[segment.param] = value;
    }
  }
  return params;
}

/** Negative when `a` is more specific than `b` (a literal where `b` has a parameter, earliest first). */
function specificity(a: Template, b: Template): number {
  for (const [index, segment] of a.segments.entries()) {
    const other = b.segments[index];
    if (other === undefined) return 0;
    const aLiteral = 'literal' in segment;
    const bLiteral = 'literal' in other;
    if (aLiteral !== bLiteral) return aLiteral ? -1 : 1;
  }
  return 0;
}

export class OperationTable {
  readonly #templates: readonly Template[];

  /** Throws on a duplicate `operationId` or two operations on one method and path. */
  constructor(operations: readonly AnyAdminOperation[]) {
    const ids = new Set<string>();
    const routes = new Set<string>();
    for (const operation of operations) {
      if (ids.has(operation.operationId)) throw new Error(`admin operation ${operation.operationId} is declared twice`);
      const route = `${operation.method} ${operation.path.replace(/\{[^}]*\}/g, '{}')}`;
      if (routes.has(route)) throw new Error(`admin operation ${operation.operationId}: ${operation.method} ${operation.path} is already served`);
      ids.add(operation.operationId);
      routes.add(route);
    }
    this.#templates = operations.map(compile).sort(specificity);
  }

  get operations(): readonly AnyAdminOperation[] {
    return this.#templates.map((template) => template.operation);
  }

  /** The operation for `method` (HEAD counts as GET) on `rest`, the raw path below the base (`/users/alice`). */
  match(method: string, rest: string): OperationMatch {
    if (!rest.startsWith('/')) return { kind: 'not-found' };
    const raw = rest.slice(1).split('/');
    const decoded = decodeSegments(rest.slice(1));
    if (decoded === undefined) return { kind: 'malformed-path' };
    const wanted = method === 'HEAD' ? 'GET' : method;
    const allow: string[] = [];
    for (const template of this.#templates) {
      const params = bind(template, raw, decoded);
      if (params === undefined) continue;
      if (template.operation.method === wanted) return { kind: 'found', operation: template.operation, params };
      allow.push(template.operation.method);
    }
    return allow.length === 0 ? { kind: 'not-found' } : { kind: 'method-not-allowed', allow: [...new Set(allow)] };
  }
}
