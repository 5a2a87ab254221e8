/**
 * The notice of an affiliation change for a user who is not in the room (XEP-0045 §9.3–§9.5,
 * §10.3–§10.7: "the service MUST also send presence notifications related to any affiliation
 * changes"; for an absent user there is no presence to send, so, as the XEP's examples of a
 * member-list change and Prosody do, the room sends a message (type normal) from its bare JID
 * carrying the `<item/>`). The item holds the user's real JID, so in a semi-anonymous room only
 * moderators receive it; in a non-anonymous room every occupant does. A ban carries 301 and a
 * removal from a members-only room 321, as the presence of a present user would.
 */
import { Element } from 'ltx';
import type { Jid } from '../../server/jid/index.js';
import { NS, serializeElement } from '../../server/xml/index.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import { canSeeRealJids } from '../rooms/occupant-permissions.js';
import { SharedStanza, sendShared } from '../delivery/shared-stanza.js';
import { defaultRole, type Affiliation } from '../rooms/roles-affiliations.js';
import { MucStatus, statusElement } from '../rooms/status-codes.js';

/** The notice, without `to`. */
export function absentAffiliationNotice(room: ChatRoom, user: Jid, affiliation: Affiliation, reason: string | undefined): Element {
  const message = new Element('message', { from: room.address });
  const x = message.c('x', { xmlns: NS.mucUser });
  const item = x.c('item', { affiliation, jid: user.bare().toString() });
  if (reason !== undefined && reason !== '') item.c('reason').t(reason);
  if (affiliation === 'outcast') x.cnode(statusElement(MucStatus.Banned));
  else if (defaultRole(affiliation, room.kind) === 'none') x.cnode(statusElement(MucStatus.RemovedByAffiliationChange));
  return message;
}

/** Sends the notice to every occupant session allowed to see the user's real JID. */
export function sendAbsentAffiliationNotice(room: ChatRoom, user: Jid, affiliation: Affiliation, reason: string | undefined): void {
  let shared: SharedStanza | undefined;
  for (const occupant of room.occupants()) {
    if (!canSeeRealJids(room.config.whois, occupant.role)) continue;
    shared ??= new SharedStanza(serializeElement(absentAffiliationNotice(room, user, affiliation, reason)));
    for (const target of occupant.sessions.values()) sendShared(target, shared);
  }
}
