/**
 * Roles and affiliations (XEP-0045 §5): the two kinds of association an entity has with a room,
 * their order, the role an affiliation enters with, and the §5.1.1 / §5.2.1 privilege tables.
 *
 * Section numbers follow XEP-0045 v1.35; anchors (`#roles-priv`) are given where a number has moved
 * between versions.
 */

/** XEP-0045 §5.1: a temporary position within a room, for the duration of a visit. */
export type Role = 'moderator' | 'participant' | 'visitor' | 'none';

/** XEP-0045 §5.2: a long-lived association with a room, kept across visits, by bare JID. */
export type Affiliation = 'owner' | 'admin' | 'member' | 'none' | 'outcast';

export const ROLES: readonly Role[] = ['moderator', 'participant', 'visitor', 'none'];
export const AFFILIATIONS: readonly Affiliation[] = ['owner', 'admin', 'member', 'none', 'outcast'];

/** XEP-0045 §5.1.1: "roles exist in a hierarchy"; a higher rank holds every lower privilege. */
export const ROLE_RANK: Readonly<Record<Role, number>> = { none: 0, visitor: 1, participant: 2, moderator: 3 };

/** XEP-0045 §5.2.1: owner > admin > member > none > outcast. */
export const AFFILIATION_RANK: Readonly<Record<Affiliation, number>> = {
  outcast: 0, none: 1, member: 2, admin: 3, owner: 4,
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isAffiliation(value: unknown): value is Affiliation {
  return typeof value === 'string' && (AFFILIATIONS as readonly string[]).includes(value);
}

/** Admins and owners are the room's administrators (XEP-0045 §9, §10). */
export function isAdminOrOwner(affiliation: Affiliation): boolean {
  return affiliation === 'admin' || affiliation === 'owner';
}

/** The room properties that decide the role an entity enters with. */
export interface RoomKind {
  readonly moderated: boolean;
  readonly membersOnly: boolean;
}

/**
 * The initial role for an affiliation (XEP-0045 §5.1.2, "Initial Role Based on Affiliation").
 * `none` means the entity may not enter: outcasts never (§7.2.7), unaffiliated users not in a
 * members-only room (§7.2.6).
 */
export function defaultRole(affiliation: Affiliation, room: RoomKind): Role {
  switch (affiliation) {
    case 'owner':
    case 'admin':
      return 'moderator';
    case 'member':
      return 'participant';
    case 'none':
      if (room.membersOnly) return 'none';
      return room.moderated ? 'visitor' : 'participant';
    case 'outcast':
      return 'none';
  }
}

/**
 * One cell of a privilege table. `yes*` / `no*` are the defaults the XEP marks with `*`
 * ("configuration settings MAY modify this privilege"); `n/a` is the table's own "N/A".
 */
export type Grant = 'yes' | 'no' | 'yes*' | 'no*' | 'n/a';

/** True when the default in a table cell is to allow. */
export function isGranted(grant: Grant): boolean {
  return grant === 'yes' || grant === 'yes*';
}

export type RolePrivilege =
  | 'present-in-room' | 'receive-messages' | 'receive-occupant-presence'
  | 'broadcast-presence-to-all-occupants' | 'change-availability-status' | 'change-room-nickname'
  | 'send-private-messages' | 'invite-other-users' | 'send-messages-to-all' | 'modify-subject'
  | 'kick-participants-and-visitors' | 'grant-voice' | 'revoke-voice';

type RoleRow = Readonly<Record<Role, Grant>>;
const roleRow = (none: Grant, visitor: Grant, participant: Grant, moderator: Grant): RoleRow =>
  ({ none, visitor, participant, moderator });

/**
 * XEP-0045 §5.1.1 (#roles-priv), "Privileges Associated With Roles", as data.
 * Footnotes: visitors MAY get voice by default in unmoderated rooms (**); a moderator MUST NOT be
 * able to revoke voice from an admin or owner (***) — both enforced by the decision functions.
 */
export const ROLE_PRIVILEGES: Readonly<Record<RolePrivilege, RoleRow>> = {
  'present-in-room': roleRow('no', 'yes', 'yes', 'yes'),
  'receive-messages': roleRow('no', 'yes', 'yes', 'yes'),
  'receive-occupant-presence': roleRow('no', 'yes', 'yes', 'yes'),
  'broadcast-presence-to-all-occupants': roleRow('no', 'yes*', 'yes', 'yes'),
  'change-availability-status': roleRow('no', 'yes*', 'yes', 'yes'),
  'change-room-nickname': roleRow('no', 'yes*', 'yes', 'yes'),
  'send-private-messages': roleRow('no', 'yes*', 'yes', 'yes'),
  'invite-other-users': roleRow('no', 'yes*', 'yes*', 'yes'),
  'send-messages-to-all': roleRow('no', 'no', 'yes', 'yes'),
  'modify-subject': roleRow('no', 'no*', 'yes*', 'yes'),
  'kick-participants-and-visitors': roleRow('no', 'no', 'no', 'yes'),
  'grant-voice': roleRow('no', 'no', 'no', 'yes'),
  'revoke-voice': roleRow('no', 'no', 'no', 'yes'),
};

export type AffiliationPrivilege =
  | 'enter-open-room' | 'register-with-open-room' | 'retrieve-member-list'
  | 'enter-members-only-room' | 'ban-members-and-unaffiliated-users' | 'edit-member-list'
  | 'assign-and-remove-moderator-role' | 'edit-admin-list' | 'edit-owner-list'
  | 'change-room-configuration' | 'destroy-room';

type AffiliationRow = Readonly<Record<Affiliation, Grant>>;
const affiliationRow = (outcast: Grant, none: Grant, member: Grant, admin: Grant, owner: Grant): AffiliationRow =>
  ({ outcast, none, member, admin, owner });

/**
 * XEP-0045 §5.2.1 (#affil-priv), "Privileges Associated With Affiliations", as data.
 * `yes*` marks the table's "*" defaults (an unaffiliated user enters a moderated room as a visitor,
 * a member enters as a participant). Footnotes: members SHOULD NOT retrieve the member list of a
 * semi-anonymous room (***); nobody revokes moderation from a higher affiliation (**).
 */
export const AFFILIATION_PRIVILEGES: Readonly<Record<AffiliationPrivilege, AffiliationRow>> = {
  'enter-open-room': affiliationRow('no', 'yes*', 'yes', 'yes', 'yes'),
  'register-with-open-room': affiliationRow('no', 'yes', 'n/a', 'n/a', 'n/a'),
  'retrieve-member-list': affiliationRow('no', 'no', 'yes', 'yes', 'yes'),
  'enter-members-only-room': affiliationRow('no', 'no', 'yes*', 'yes', 'yes'),
  'ban-members-and-unaffiliated-users': affiliationRow('no', 'no', 'no', 'yes', 'yes'),
  'edit-member-list': affiliationRow('no', 'no', 'no', 'yes', 'yes'),
  'assign-and-remove-moderator-role': affiliationRow('no', 'no', 'no', 'yes', 'yes'),
  'edit-admin-list': affiliationRow('no', 'no', 'no', 'no', 'yes'),
  'edit-owner-list': affiliationRow('no', 'no', 'no', 'no', 'yes'),
  'change-room-configuration': affiliationRow('no', 'no', 'no', 'no', 'yes'),
  'destroy-room': affiliationRow('no', 'no', 'no', 'no', 'yes'),
};

/** The default grant of a role privilege (§5.1.1). */
export function hasRolePrivilege(role: Role, privilege: RolePrivilege): boolean {
  return isGranted(ROLE_PRIVILEGES[privilege][role]);
}

/** The default grant of an affiliation privilege (§5.2.1). */
export function hasAffiliationPrivilege(affiliation: Affiliation, privilege: AffiliationPrivilege): boolean {
  return isGranted(AFFILIATION_PRIVILEGES[privilege][affiliation]);
}
