/**
 * What the presence handlers share: the module context, which sessions have announced their
 * availability, and the host's roster and blocklist services (looked up at each use, so a plugin
 * replacing the roster module, or a host without blocking, needs nothing from this module).
 */
import type { Jid } from '../server/jid/index.js';
import type { ModuleContext } from '../server/modules/index.js';
import type { Session } from '../server/session/index.js';
import { blocklistServiceKey } from './blocklist-service.js';
import { rosterServiceKey, type RosterService } from './roster-service.js';

export interface PresenceContext {
  readonly ctx: ModuleContext<unknown>;
  /**
   * Sessions whose available presence was broadcast and not yet withdrawn. The core updates
   * `session.presence` before the broadcast event fires, so "initial presence" (RFC 6121 §4.2)
   * is told apart from an update (§4.4) here.
   */
  readonly announced: WeakSet<Session>;
  /** The roster service of this host, if one is loaded. */
  roster(): RosterService | undefined;
  /** The JIDs the user blocks (empty without the blocklist module). */
  blocklist(user: Jid): Promise<ReadonlySet<string>>;
}

const NONE: ReadonlySet<string> = new Set();

export function createPresenceContext(ctx: ModuleContext<unknown>): PresenceContext {
  return {
    ctx,
    announced: new WeakSet(),
    roster: () => ctx.service(rosterServiceKey),
    blocklist: async (user) => (await ctx.service(blocklistServiceKey)?.blocklist(user)) ?? NONE,
  };
}
