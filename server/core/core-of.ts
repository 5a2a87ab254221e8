/**
 * The link from a started server's public handle (`RunningServer`) back to its `ServerCore`. The
 * package's types name no router, hook bus or storage driver; code inside the house that needs
 * them (the `salon/testing` helpers, tests of internals) asks here. A WeakMap, not a property:
 * nothing on the public object reveals the core, and a stopped server's core can be collected.
 */
import type { ServerCore } from './server-core.js';

const cores = new WeakMap<object, ServerCore>();

/** Records that `handle` is the public face of `core`; the composition root calls it once. */
export function linkCore(handle: object, core: ServerCore): void {
  cores.set(handle, core);
}

/** The core behind a handle `startServer` returned; a TypeError for anything else (a bug in the caller). */
export function coreOf(handle: object): ServerCore {
  const core = cores.get(handle);
  if (core === undefined) throw new TypeError('not a server started by startServer');
  return core;
}
