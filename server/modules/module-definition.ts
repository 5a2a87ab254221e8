/**
 * A module is the unit of features (DESIGN.md §1): it declares its options (Prosody names, typed
 * with zod) and registers everything through the `ModuleContext` it is given. Unloading removes
 * every hook, route, feature and timer it registered.
 */
import type * as z from 'zod';
import type { HostKind } from '../host/index.js';
import type { ModuleContext } from './module-context.js';

export interface ModuleDefinition<Shape extends z.ZodRawShape = z.ZodRawShape> {
  /** The Prosody module name (`ping`, `muc_http_auth`, …). */
  readonly name: string;
  /** One line for `salon check` and docs. */
  readonly description: string;
  /**
   * Options this module reads, keyed by their Prosody names; each schema carries its default.
   * Values are looked up on the host, then globally, and validated before anything listens.
   */
  readonly options?: Shape;
  /** Host kinds the module may load on; default `['user']`. */
  readonly hostKinds?: readonly HostKind[];
  /** For component modules: the component types they serve (`['muc']`). */
  readonly componentTypes?: readonly string[];
  /**
   * Loaded on every host of a kind it may load on unless listed in `modules_disabled`
   * (Prosody's auto-loaded modules such as disco and ping).
   */
  readonly autoload?: boolean;
  /** Other modules loaded together with this one on the same host. */
  readonly requires?: readonly string[];
  /** Modules this one takes the place of on its host (they are not loaded there). */
  readonly replaces?: readonly string[];
  /**
   * Checks the parsed options before the server starts; a returned string is a fatal
   * configuration error naming the option. Warnings go through `ctx.logger` at load time.
   */
  // Method syntax keeps definitions with typed options assignable to AnyModuleDefinition (bivariant
  // parameter), so catalogs list them without a cast.
  validate?(options: z.infer<z.ZodObject<Shape>>): string | undefined;
  load(ctx: ModuleContext<z.infer<z.ZodObject<Shape>>>): void | Promise<void>;
  /**
   * Applies changed options in place on a config reload (`salon reload`, SIGHUP), keeping the
   * module's state. `ctx.options` holds the old options during the call and the new ones after.
   * Returns the names of options whose change still needs a restart (empty: all applied).
   * Without it, a module whose options changed is unloaded and loaded again, unless it is
   * `stateful`, in which case the change waits for a restart.
   */
  reconfigure?(ctx: ModuleContext<z.infer<z.ZodObject<Shape>>>, options: z.infer<z.ZodObject<Shape>>): readonly string[] | Promise<readonly string[]>;
  /**
   * The module holds state that unloading would lose (rooms and their occupants, sessions): a
   * reload never unloads it to apply an option change (see `reconfigure`).
   */
  readonly stateful?: boolean;
}

/** Declares a module with its option types inferred from the zod shape. */
export function defineModule<Shape extends z.ZodRawShape>(definition: ModuleDefinition<Shape>): ModuleDefinition<Shape> {
  return definition;
}

/** A module definition whose option types have been erased (for catalogs). */
// The loader only handles modules through their own parsed options, so the shape is irrelevant here.
export type AnyModuleDefinition = ModuleDefinition<z.ZodRawShape>;
