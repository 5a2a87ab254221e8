/**
 * Mediated invitations and declines (XEP-0045 §7.8.2, §7.8.3). The room forwards an `<invite/>`
 * from an occupant allowed to invite (`canInvite`) to the invitee, with the room password when
 * there is one; in a members-only room the invitee becomes a member (§9.5). A `<decline/>` is
 * forwarded to the inviter.
 */
import { Element } from 'ltx';
import { StanzaError } from '../../server/errors/index.js';
import type { StanzaEvent } from '../../server/hooks/index.js';
import { parseJid, type Jid } from '../../server/jid/index.js';
import { NS } from '../../server/xml/index.js';
import { affiliationCountAfter, checkAffiliationCapacity } from '../moderation/affiliation-changes.js';
import { applyAffiliationChange } from '../moderation/apply-affiliation-change.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import type { MucEngine } from '../muc-engine.js';
import { canInvite } from '../rooms/occupant-permissions.js';
import { isPasswordProtected } from '../configuration/room-config.js';

type Outcome = true | StanzaError;

function addressOf(element: Element, attribute: 'to'): Jid | undefined {
  const text = element.attrs[attribute] as string | undefined;
  const parsed = text === undefined ? undefined : parseJid(text);
  return parsed?.ok === true ? parsed.value : undefined;
}

/** What an invitation carries besides the room and the invitee. */
export interface InvitationDetails {
  /** Who invites: an occupant's real bare JID, or the room itself for the service's own. */
  readonly inviter: string;
  readonly reason?: string | undefined;
  /** XEP-0045 §7.8.2 `<continue/>` (a one-to-one chat continued in the room). */
  readonly continues?: boolean;
  readonly id?: string | undefined;
}

/** The message the invitee receives (§7.8.2 example), with the XEP-0249 form for older clients. */
export function invitationFor(room: ChatRoom, invitee: Jid, details: InvitationDetails): Element {
  const attrs: Record<string, string> = { from: room.address, to: invitee.toString() };
  if (details.id !== undefined) attrs.id = details.id;
  const message = new Element('message', attrs);
  const x = message.c('x', { xmlns: NS.mucUser });
  const forwarded = x.c('invite', { from: details.inviter });
  const reason = details.reason === '' ? undefined : details.reason;
  if (reason !== undefined) forwarded.c('reason').t(reason);
  if (details.continues === true) forwarded.c('continue');
  if (isPasswordProtected(room.config)) x.c('password').t(room.config.roomsecret);
  message.c('x', reason !== undefined ? { xmlns: NS.conference, jid: room.address, reason } : { xmlns: NS.conference, jid: room.address });
  return message;
}

/** `muc_max_affiliations`: inviting to a members-only room makes the invitees members (§7.8). */
function invitedMemberBound(engine: MucEngine, room: ChatRoom, invitees: readonly Jid[]): StanzaError | undefined {
  if (!room.config.membersonly) return undefined;
  const changes = invitees.map((jid) => ({ bare: jid.bare().toString(), affiliation: 'member' as const }))
    .filter((change) => room.affiliationOfBare(change.bare) === 'none');
  const after = affiliationCountAfter(room.affiliationCount, (bare) => room.affiliationOfBare(bare), changes);
  return checkAffiliationCapacity(room.affiliationCount, after, engine.options.muc_max_affiliations);
}

function invite(engine: MucEngine, room: ChatRoom, event: StanzaEvent, invites: readonly Element[]): Outcome {
  const sender = room.occupantBySession(event.from);
  const affiliation = room.affiliationOf(event.from);
  if (sender === undefined && affiliation === 'none') return StanzaError.modify('not-acceptable', { text: 'You are not in this room', by: room.address });
  const allowed = canInvite(room.config, { role: sender?.role ?? 'none', affiliation });
  if (!allowed.ok) return allowed.error.withBy(room.address);
  const invitees = invites.map((element) => addressOf(element, 'to'));
  if (invitees.some((jid) => jid === undefined)) return StanzaError.modify('jid-malformed', { text: 'Invalid invitee', by: room.address });
  const full = invitedMemberBound(engine, room, invitees.filter((jid): jid is Jid => jid !== undefined));
  if (full !== undefined) return full.withBy(room.address);
  let membersAdded = false;
  invites.forEach((element, index) => {
    const invitee = invitees[index]!;
    if (room.config.membersonly && room.affiliationOf(invitee) === 'none') {
      const inviter = event.from.bare();
      membersAdded = applyAffiliationChange(engine, room, invitee, 'member', { actor: sender === undefined ? { jid: inviter } : { nick: sender.nick, jid: inviter } }) || membersAdded;
    }
    engine.send(invitationFor(room, invitee, {
      inviter: event.from.bare().toString(), reason: element.getChildText('reason') ?? undefined,
      continues: element.getChild('continue') !== undefined, id: event.stanza.attrs.id as string | undefined,
    }));
  });
  if (membersAdded && room.config.persistentroom) void engine.persist(room);
  return true;
}

/** §7.8.3: the invitee's decline goes back to the inviter, from the room. */
function decline(engine: MucEngine, room: ChatRoom, event: StanzaEvent, element: Element): Outcome {
  const inviter = addressOf(element, 'to');
  if (inviter === undefined) return StanzaError.modify('bad-request', { text: 'A decline names the inviter', by: room.address });
  const message = new Element('message', { from: room.address, to: inviter.toString() });
  const forwarded = message.c('x', { xmlns: NS.mucUser }).c('decline', { from: event.from.bare().toString() });
  const reason = element.getChildText('reason');
  if (reason !== null && reason !== '') forwarded.c('reason').t(reason);
  engine.send(message);
  return true;
}

/** Handles the invitations or declines of a `muc#user` extension; undefined when it has neither. */
export function handleInvitations(engine: MucEngine, room: ChatRoom, event: StanzaEvent, x: Element): Outcome | undefined {
  const invites = x.getChildren('invite', NS.mucUser);
  if (invites.length > 0) return invite(engine, room, event, invites);
  const declined = x.getChild('decline', NS.mucUser);
  return declined === undefined ? undefined : decline(engine, room, event, declined);
}
