/**
 * What a roster changed by its owner (an external application, an import), not by a client's
 * roster set, means for the user's clients and contacts: a push of each item to every interested
 * session (RFC 6121 §2.1.6) with `roster-pushed` fired after it, then the presence that each
 * subscription change implies (RFC 6121 §3.1.5, §3.2.2, §4.3). A roster service that holds
 * rosters itself (http_roster_admin's) says which items it set and removed; this file does the rest.
 */
import { randomBytes } from 'node:crypto';
import type { Element } from 'ltx';
import { parseJid, type Jid } from '../server/jid/index.js';
import type { ModuleContext } from '../server/modules/index.js';
import { availableSessionsOf, sendCurrentPresence } from './account-presence.js';
import { blocklistServiceKey } from './blocklist-service.js';
import { typedPresence } from './presence-stanzas.js';
import { removedItemElement, rosterItemElement, type RosterItem } from './roster-item.js';
import { pushRosterItem } from './roster-push.js';
import { formatRosterVersion } from './roster-version.js';
import { hasSubscriptionFrom, hasSubscriptionTo, subscriptionState } from './subscription-state.js';

/** One item set: the new item and the one it replaces (none for a new contact). */
export interface RosterItemChange {
  readonly item: RosterItem;
  readonly previous?: RosterItem | undefined;
}

/** Items set and removed in one change of a user's roster, already applied by its holder. */
export interface RosterChangeSet {
  readonly set: readonly RosterItemChange[];
  /** Items no longer in the roster, as they were. */
  readonly removed: readonly RosterItem[];
  /**
   * The roster version after the change; omitted when versions are not offered (RFC 6121 §2.6):
   * the pushes then carry no `ver` and `roster-pushed` reports 0.
   */
  readonly version?: number;
}

/** The presence one contact's change calls for (see `presenceEffects`). */
export interface PresenceEffect {
  readonly jid: string;
  /** Gained `from`: the contact receives the current presence of each available resource (§3.1.5). */
  readonly share: boolean;
  /** Gained `to`: the user's bare JID probes the contact so the user hears its presence (§4.3). */
  readonly probe: boolean;
  /** Lost `from`: each of the user's sessions withdraws its presence from the contact (§3.2.2). */
  readonly withdraw: boolean;
}

/** The roster service's handling of changes made by a roster's owner. */
export interface RosterChangeEffects {
  /**
   * Pushes every item set or removed to the user's interested sessions, fires `roster-pushed`
   * for each, then sends the presence of `presenceEffects`. Presence is shared with and probes
   * sent to a contact only while the user has an available resource and does not block the
   * contact (XEP-0191 §3.3).
   */
  applyRosterChanges(user: Jid, changes: RosterChangeSet): Promise<void>;
}

function isFrom(item: RosterItem | undefined): boolean {
  return item !== undefined && hasSubscriptionFrom(subscriptionState(item.subscription));
}

function isTo(item: RosterItem | undefined): boolean {
  return item !== undefined && hasSubscriptionTo(subscriptionState(item.subscription));
}

/** The presence each change calls for, items set first then removed, in the order given; pure. */
export function presenceEffects(changes: RosterChangeSet): PresenceEffect[] {
  const effects: PresenceEffect[] = [];
  const add = (jid: string, before: RosterItem | undefined, after: RosterItem | undefined): void => {
    const effect = {
      jid, share: isFrom(after) && !isFrom(before), probe: isTo(after) && !isTo(before), withdraw: isFrom(before) && !isFrom(after),
    };
    if (effect.share || effect.probe || effect.withdraw) effects.push(effect);
  };
  for (const { item, previous } of changes.set) add(item.jid, previous, item);
  for (const item of changes.removed) add(item.jid, item, undefined);
  return effects;
}

/** Pushes one item (or its removal) and tells `roster-pushed` handlers. */
function pushItemChange(
  ctx: ModuleContext<unknown>, user: Jid, jid: string, item: RosterItem | undefined, element: Element, version: number | undefined, nextId: () => string,
): void {
  const ver = version === undefined ? undefined : formatRosterVersion(version);
  pushRosterItem(ctx.sessions.ofAccount(user), element, ver, nextId);
  ctx.host.hooks.notify('roster-pushed', { user, host: ctx.host, jid, item, version: version ?? 0 });
}

/** Builds the effects for `ctx`'s host; `itemElement` is how items look to clients. */
export function createRosterChangeEffects(
  ctx: ModuleContext<unknown>, itemElement: (item: RosterItem) => Element = (item) => rosterItemElement(item),
): RosterChangeEffects {
  const prefix = `roster-${randomBytes(4).toString('hex')}-`;
  let count = 0;
  const nextId = (): string => `${prefix}${(count += 1).toString(36)}`;
  return {
    async applyRosterChanges(user, changes) {
      const bare = user.bare();
      for (const { item } of changes.set) pushItemChange(ctx, bare, item.jid, item, itemElement(item), changes.version, nextId);
      for (const { jid } of changes.removed) pushItemChange(ctx, bare, jid, undefined, removedItemElement(jid), changes.version, nextId);
      for (const effect of presenceEffects(changes)) {
        if (effect.share || effect.probe) await greet(ctx, bare, effect);
        if (effect.withdraw) withdraw(ctx, bare, effect.jid);
      }
    },
  };
}

/** Presence to and a probe of a contact, from an available user who does not block it. */
async function greet(ctx: ModuleContext<unknown>, user: Jid, effect: PresenceEffect): Promise<void> {
  if (availableSessionsOf(ctx, user).length === 0) return;
  const contact = parseJid(effect.jid);
  if (!contact.ok) return;
  if ((await ctx.service(blocklistServiceKey)?.blocks(user, contact.value)) === true) return;
  // Each available resource from its full JID; a session that sent no presence is skipped.
  if (effect.share) sendCurrentPresence(ctx, user, effect.jid);
  if (effect.probe) ctx.send(typedPresence('probe', user.toString(), effect.jid));
}

/**
 * Unavailable from every open session of the user, available or not: a contact that lost the
 * subscription learns the user is gone whatever it was last told (the http_roster_admin
 * behaviour the refresh tests pin down; §3.2.2 asks for the available resources at least).
 */
function withdraw(ctx: ModuleContext<unknown>, user: Jid, jid: string): void {
  for (const session of ctx.sessions.ofAccount(user)) {
    if (!session.closed) ctx.send(typedPresence('unavailable', session.jid.toString(), jid));
  }
}
