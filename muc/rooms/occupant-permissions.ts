/**
 * What an occupant may do in a room, by role and room configuration: speak (§7.4), change the
 * subject (§8.1), send private messages (§7.5), invite (§7.8.2, §9.5) and see real JIDs (§7.2.3,
 * §7.2.4). A sender whose role is `none` is not an occupant: §7.4 and §7.5 answer `not-acceptable`.
 */
import { err, ok, StanzaError, type Result } from '../../server/errors/index.js';
import { ROLE_RANK, isAdminOrOwner, type Affiliation, type Role } from './roles-affiliations.js';
import type { AllowPm, RoomConfig, Whois } from '../configuration/room-config.js';

export interface OccupantStanding {
  readonly role: Role;
  readonly affiliation: Affiliation;
}

const NOT_AN_OCCUPANT = 'You are not in this room';

function notAcceptable(text: string): StanzaError {
  return StanzaError.modify('not-acceptable', { text });
}

function forbidden(text: string): StanzaError {
  return StanzaError.auth('forbidden', { text });
}

/**
 * §7.4: a visitor gets `forbidden` ("does not have voice in a moderated room"), a non-occupant
 * `not-acceptable`. As in Prosody, a visitor has no voice in an unmoderated room either (§5.1.1
 * allows but does not require voice for visitors there).
 */
export function canSendGroupchat(occupant: Pick<OccupantStanding, 'role'>): Result<void, StanzaError> {
  if (occupant.role === 'none') return err(notAcceptable(NOT_AN_OCCUPANT));
  if (occupant.role === 'visitor') return err(forbidden('Visitors have no voice in this room'));
  return ok(undefined);
}

/**
 * §8.1: moderators may always change the subject; participants when `changesubject` is set
 * (§5.1.1 "Modify Subject": participant yes*, visitor no*). Otherwise `forbidden`.
 */
export function canChangeSubject(
  config: Pick<RoomConfig, 'changesubject'>, occupant: Pick<OccupantStanding, 'role'>,
): Result<void, StanzaError> {
  if (occupant.role === 'none') return err(notAcceptable(NOT_AN_OCCUPANT));
  if (occupant.role === 'moderator') return ok(undefined);
  if (occupant.role === 'participant' && config.changesubject) return ok(undefined);
  return err(forbidden('You may not change the subject of this room'));
}

const PM_MINIMUM_ROLE: Readonly<Record<Exclude<AllowPm, 'none'>, Role>> = {
  anyone: 'visitor',
  participants: 'participant',
  moderators: 'moderator',
};

/**
 * §7.5: private messages are governed by `muc#roomconfig_allowpm` (anyone / participants, i.e.
 * "anyone with voice" / moderators / none). The XEP names no error for a refused one; `forbidden`
 * is RFC 6120's condition for a missing permission. A non-occupant sender is `not-acceptable`.
 */
export function canSendPrivateMessage(allowpm: AllowPm, occupant: Pick<OccupantStanding, 'role'>): Result<void, StanzaError> {
  if (occupant.role === 'none') return err(notAcceptable(NOT_AN_OCCUPANT));
  if (allowpm === 'none') return err(forbidden('Private messages are disabled in this room'));
  if (ROLE_RANK[occupant.role] < ROLE_RANK[PM_MINIMUM_ROLE[allowpm]]) {
    return err(forbidden(`Private messages are restricted to ${allowpm} in this room`));
  }
  return ok(undefined);
}

/**
 * Mediated invitations (§7.8.2). In a members-only room invitations are restricted to admins and
 * owners, and to members when `allowinvites` is set (§9.5: a mere member otherwise gets
 * `forbidden`; v1.35.3: the option never restricts owners). In an open room any occupant with
 * voice may invite; visitors may not (Prosody's rule; §5.1.1 makes it configurable). An admin or
 * owner outside the room counts as the moderator they would be inside it.
 */
export function canInvite(
  config: Pick<RoomConfig, 'membersonly' | 'allowinvites'>, occupant: OccupantStanding,
): Result<void, StanzaError> {
  const role = occupant.role === 'none' && isAdminOrOwner(occupant.affiliation) ? 'moderator' : occupant.role;
  if (config.membersonly) {
    if (isAdminOrOwner(occupant.affiliation)) return ok(undefined);
    if (occupant.affiliation === 'member' && config.allowinvites) return ok(undefined);
    return err(forbidden('Only admins may invite others to this members-only room'));
  }
  if (ROLE_RANK[role] < ROLE_RANK.participant) return err(forbidden('You may not invite others to this room'));
  return ok(undefined);
}

/**
 * Whether a viewer sees occupants' real JIDs: everyone in a non-anonymous room (§7.2.3), only
 * moderators in a semi-anonymous one (§7.2.4).
 */
export function canSeeRealJids(whois: Whois, viewerRole: Role): boolean {
  return whois === 'anyone' || viewerRole === 'moderator';
}
