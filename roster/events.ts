/**
 * The roster service's hook points, declared once by augmenting the core's `HookEvents`
 * (the core never imports this folder). They keep the source of roster items replaceable: a
 * plugin such as http_roster_admin answers `roster-load` instead of the store.
 */
import type { Host } from '../server/host/index.js';
import type { Jid } from '../server/jid/index.js';
import type { RosterItem } from './roster-item.js';
import type { Roster } from './roster.js';

/**
 * Fired (with a deadline) when a user's roster is not in memory. A handler that owns rosters
 * sets `roster` and returns `true`; returning a `StanzaError` fails the load (the client asking
 * for its roster gets that error). When no handler sets `roster`, the host's store is read.
 */
export interface RosterLoadEvent {
  readonly user: Jid;
  readonly host: Host;
  roster: Roster | undefined;
}

/** A roster push went out (RFC 6121 §2.1.6) after a change to the item of `jid`. */
export interface RosterPushedEvent {
  readonly user: Jid;
  readonly host: Host;
  /** The contact's bare JID. */
  readonly jid: string;
  /** The item after the change; undefined when it was removed. */
  readonly item: RosterItem | undefined;
  /** The roster version the push carried. */
  readonly version: number;
}

declare module '../server/hooks/events.js' {
  interface HookEvents {
    'roster-load': RosterLoadEvent;
    'roster-pushed': RosterPushedEvent;
  }
}
