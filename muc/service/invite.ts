/**
 * `MucService.invite`: a mediated invitation (XEP-0045 §7.8.2) sent by the room, in the same
 * form as one an occupant asks the room to forward (with the password of a protected room and
 * the XEP-0249 element). With `addMember`, a members-only room first makes the invitee a member,
 * as the room does for an occupant's invitation (§9.5), through the usual affiliation change.
 */
import { err, ok, type Result } from '../../server/errors/index.js';
import { toJid, type Jid } from '../../server/jid/index.js';
import type { MucEngine } from '../muc-engine.js';
import type { InviteOptions, RoomNotFound } from '../muc-service.js';
import { invitationFor } from '../delivery/invitations.js';
import { applyAffiliationChange } from '../moderation/apply-affiliation-change.js';
import { findRoom } from './service-room.js';

export async function invite(
  engine: MucEngine, address: Jid | string, inviteeAddress: Jid | string, options: InviteOptions,
): Promise<Result<void, RoomNotFound | 'invalid-jid'>> {
  const room = findRoom(engine, address);
  if (room === undefined) return err('room-not-found');
  const invitee = toJid(inviteeAddress);
  const inviter = options.from === undefined ? room.jid : toJid(options.from)?.bare();
  if (invitee === undefined || invitee.local === '' || inviter === undefined) return err('invalid-jid');
  if (options.addMember === true && room.config.membersonly && room.affiliationOf(invitee) === 'none') {
    const actor = options.from === undefined ? {} : { actor: { jid: inviter } };
    if (applyAffiliationChange(engine, room, invitee, 'member', actor)) await engine.persist(room);
  }
  engine.send(invitationFor(room, invitee, { inviter: inviter.toString(), reason: options.reason }));
  engine.ctx.logger.info({ room: room.address, invitee: invitee.bare().toString() }, 'invitation sent by the service');
  return ok(undefined);
}
