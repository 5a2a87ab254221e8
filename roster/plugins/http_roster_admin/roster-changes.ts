/**
 * What clients see after a refresh changed a roster (spec §3.6.3): roster pushes to the
 * interested sessions (RFC 6121 §2.1.6, with `to` = the session's full JID), presence to new
 * contacts plus a probe so the user learns theirs, unavailable presence to removed contacts.
 */
import { parseJid, type Jid } from '../../../server/jid/index.js';
import type { ModuleContext } from '../../../server/modules/index.js';
import {
  availableSessionsOf, blocklistServiceKey, pushRosterItem, removedItemElement, rosterItemElement, sendCurrentPresence,
  typedPresence, type RosterItem,
} from '../../index.js';
import type { RosterDiff } from './roster-diff.js';

/** Sends everything a roster change means; `nextId` names each push. */
export async function announceChanges(ctx: ModuleContext<unknown>, user: Jid, diff: RosterDiff, nextId: () => string): Promise<void> {
  const sessions = ctx.sessions.ofAccount(user);
  const push = (jid: string, item: RosterItem | undefined): void => {
    pushRosterItem(sessions, item === undefined ? removedItemElement(jid) : rosterItemElement(item), undefined, nextId);
    // The backend's rosters carry no version (RFC 6121 §2.6 is not offered).
    ctx.host.hooks.notify('roster-pushed', { user, host: ctx.host, jid, item, version: 0 });
  };
  for (const item of [...diff.added, ...diff.changed]) push(item.jid, item);
  for (const jid of diff.removed) push(jid, undefined);
  for (const item of diff.added) await greetContact(ctx, user, item);
  for (const jid of diff.removed) {
    // Each session withdraws its presence from the former contact [COMPAT].
    for (const session of ctx.sessions.ofAccount(user)) {
      if (!session.closed) ctx.send(typedPresence('unavailable', session.jid.toString(), jid));
    }
  }
}

/**
 * A new contact gets the current presence of each available session, from its full JID
 * [COMPAT; sessions without presence are skipped], and a probe from the user's bare JID so the
 * user hears the contact's presence [IMPROVEMENT] — unless the user blocks the contact (XEP-0191 §3.3).
 */
async function greetContact(ctx: ModuleContext<unknown>, user: Jid, item: RosterItem): Promise<void> {
  if (availableSessionsOf(ctx, user).length === 0) return;
  const contact = parseJid(item.jid);
  if (!contact.ok) return;
  if ((await ctx.service(blocklistServiceKey)?.blocks(user, contact.value)) === true) return;
  sendCurrentPresence(ctx, user, item.jid);
  ctx.send(typedPresence('probe', user.toString(), item.jid));
}
