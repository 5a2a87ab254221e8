import { describe, expect, test } from '@jest/globals';
import type { Affiliation, AllowPm, Role } from '../../muc/index.js';
import { canChangeAffiliation } from '../../muc/moderation/affiliation-changes.js';
import { canChangeRole } from '../../muc/moderation/role-changes.js';
import {
  canChangeSubject, canInvite, canSeeRealJids, canSendGroupchat, canSendPrivateMessage,
} from '../../muc/rooms/occupant-permissions.js';
import type { Result, StanzaError } from '../../server/errors/index.js';

/** 'ok' or the error condition, so expectations read like the XEP. */
function outcome(result: Result<void, StanzaError>): string {
  return result.ok ? 'ok' : result.error.condition;
}

const who = (role: Role, affiliation: Affiliation) => ({ role, affiliation });
const owner = who('moderator', 'owner');
const admin = who('moderator', 'admin');
const memberModerator = who('moderator', 'member');
const moderator = who('moderator', 'none');
const participant = who('participant', 'none');
const memberParticipant = who('participant', 'member');
const visitor = who('visitor', 'none');
const memberVisitor = who('visitor', 'member');

describe('canChangeRole', () => {
  test.each([
    // §8.2 kick
    ['moderator kicks a participant', moderator, participant, 'none', 'ok'],
    ['moderator kicks a visitor', moderator, visitor, 'none', 'ok'],
    ['member moderator kicks a member', memberModerator, memberParticipant, 'none', 'ok'],
    ['unaffiliated moderator kicks a member (higher affiliation)', moderator, memberParticipant, 'none', 'not-allowed'],
    ['admin kicks an owner', admin, owner, 'none', 'not-allowed'],
    ['member moderator kicks an admin', memberModerator, admin, 'none', 'not-allowed'],
    ['owner kicks an admin', owner, admin, 'none', 'ok'],
    ['owner kicks another owner', owner, owner, 'none', 'ok'],
    ['admin kicks another admin (§9.7)', admin, admin, 'none', 'not-allowed'],
    ['participant kicks a visitor', participant, visitor, 'none', 'forbidden'],
    ['visitor kicks a participant', visitor, participant, 'none', 'forbidden'],
    ['unaffiliated moderator kicks a moderator', moderator, moderator, 'none', 'forbidden'],
    ['admin kicks an unaffiliated moderator', admin, moderator, 'none', 'ok'],
    // §8.3 grant voice
    ['moderator grants voice to a visitor', moderator, visitor, 'participant', 'ok'],
    ['moderator grants voice to a member visitor', memberModerator, memberVisitor, 'participant', 'ok'],
    ['participant grants voice', participant, visitor, 'participant', 'forbidden'],
    ['visitor grants itself voice', visitor, visitor, 'participant', 'forbidden'],
    // §8.4 revoke voice
    ['moderator revokes voice from a participant', moderator, participant, 'visitor', 'ok'],
    ['unaffiliated moderator revokes voice from a member', moderator, memberParticipant, 'visitor', 'not-allowed'],
    ['owner revokes voice from an admin', owner, admin, 'visitor', 'not-allowed'],
    ['owner revokes voice from an owner', owner, owner, 'visitor', 'not-allowed'],
    ['participant revokes voice', participant, participant, 'visitor', 'forbidden'],
    // §9.6 grant moderator
    ['admin grants moderator to a participant', admin, participant, 'moderator', 'ok'],
    ['owner grants moderator to a visitor', owner, visitor, 'moderator', 'ok'],
    ['unaffiliated moderator grants moderator', moderator, participant, 'moderator', 'forbidden'],
    ['member moderator grants moderator', memberModerator, participant, 'moderator', 'forbidden'],
    ['participant grants moderator', participant, participant, 'moderator', 'forbidden'],
    // §9.7 revoke moderator
    ['admin revokes moderator from an unaffiliated moderator', admin, moderator, 'participant', 'ok'],
    ['admin revokes moderator from a member moderator', admin, memberModerator, 'participant', 'ok'],
    ['admin revokes moderator from an admin', admin, admin, 'participant', 'not-allowed'],
    ['admin revokes moderator from an owner', admin, owner, 'participant', 'not-allowed'],
    ['owner revokes moderator from an admin', owner, admin, 'participant', 'ok'],
    ['unaffiliated moderator revokes moderator from a member (higher affiliation)', moderator, memberModerator, 'participant', 'not-allowed'],
    ['unaffiliated moderator revokes moderator from an unaffiliated one', moderator, moderator, 'participant', 'forbidden'],
    ['member moderator kicks an unaffiliated moderator', memberModerator, moderator, 'none', 'forbidden'],
  ] as [string, { role: Role; affiliation: Affiliation }, { role: Role; affiliation: Affiliation }, Role, string][])(
    '%s → %s', (_name, actor, target, newRole, expected) => {
      expect(outcome(canChangeRole(actor, target, newRole))).toBe(expected);
    },
  );

  test('error types follow RFC 6120', () => {
    const notAllowed = canChangeRole(admin, owner, 'none');
    const forbidden = canChangeRole(participant, visitor, 'none');
    expect(!notAllowed.ok && notAllowed.error.type).toBe('cancel');
    expect(!forbidden.ok && forbidden.error.type).toBe('auth');
  });

  test('an admin outside the room may grant moderator but not voice', () => {
    const absentAdmin = who('none', 'admin');
    expect(outcome(canChangeRole(absentAdmin, participant, 'moderator'))).toBe('ok');
    expect(outcome(canChangeRole(absentAdmin, visitor, 'participant'))).toBe('forbidden');
  });

  test('a target that is not an occupant is item-not-found', () => {
    expect(outcome(canChangeRole(owner, who('none', 'member'), 'participant'))).toBe('item-not-found');
  });
});

describe('canChangeAffiliation', () => {
  const other = { ownerCount: 1, isSelf: false };
  test.each([
    // §9.1 ban, §9.3 / §9.4 membership
    ['admin bans an unaffiliated user', 'admin', 'none', 'outcast', other, 'ok'],
    ['admin bans a member', 'admin', 'member', 'outcast', other, 'ok'],
    ['admin grants membership', 'admin', 'none', 'member', other, 'ok'],
    ['admin revokes membership', 'admin', 'member', 'none', other, 'ok'],
    ['admin lifts a ban', 'admin', 'outcast', 'none', other, 'ok'],
    ['admin bans an owner', 'admin', 'owner', 'outcast', other, 'not-allowed'],
    ['admin bans an admin', 'admin', 'admin', 'outcast', other, 'not-allowed'],
    ['admin bans themself', 'admin', 'admin', 'outcast', { ownerCount: 1, isSelf: true }, 'conflict'],
    ['owner bans themself with other owners', 'owner', 'owner', 'outcast', { ownerCount: 3, isSelf: true }, 'conflict'],
    ['owner bans an owner', 'owner', 'owner', 'outcast', { ownerCount: 2, isSelf: false }, 'ok'],
    ['owner bans an admin', 'owner', 'admin', 'outcast', other, 'ok'],
    // §10.3–§10.8 owners and admins
    ['admin grants admin', 'admin', 'member', 'admin', other, 'forbidden'],
    ['admin grants owner', 'admin', 'none', 'owner', other, 'forbidden'],
    ['admin revokes admin status', 'admin', 'admin', 'member', other, 'forbidden'],
    ['admin revokes owner status', 'admin', 'owner', 'none', other, 'forbidden'],
    ['admin gives up their own admin status', 'admin', 'admin', 'none', { ownerCount: 1, isSelf: true }, 'forbidden'],
    ['owner grants admin', 'owner', 'member', 'admin', other, 'ok'],
    ['owner grants owner', 'owner', 'none', 'owner', other, 'ok'],
    ['owner revokes admin', 'owner', 'admin', 'member', other, 'ok'],
    ['owner revokes another owner', 'owner', 'owner', 'admin', { ownerCount: 2, isSelf: false }, 'ok'],
    ['the last owner gives up ownership', 'owner', 'owner', 'admin', { ownerCount: 1, isSelf: true }, 'conflict'],
    ['the last owner becomes none', 'owner', 'owner', 'none', { ownerCount: 1, isSelf: true }, 'conflict'],
    ['one of two owners gives up ownership', 'owner', 'owner', 'member', { ownerCount: 2, isSelf: true }, 'ok'],
    ['the last owner re-affirms ownership', 'owner', 'owner', 'owner', { ownerCount: 1, isSelf: true }, 'ok'],
    // §9: everyone else
    ['member bans someone', 'member', 'none', 'outcast', other, 'forbidden'],
    ['member grants membership', 'member', 'none', 'member', other, 'forbidden'],
    ['unaffiliated user changes an affiliation', 'none', 'none', 'member', other, 'forbidden'],
    ['outcast changes an affiliation', 'outcast', 'outcast', 'none', { ownerCount: 1, isSelf: true }, 'forbidden'],
  ] as [string, Affiliation, Affiliation, Affiliation, { ownerCount: number; isSelf: boolean }, string][])(
    '%s', (_name, actor, current, next, context, expected) => {
      expect(outcome(canChangeAffiliation({ affiliation: actor }, current, next, context))).toBe(expected);
    },
  );

  test('error types follow RFC 6120', () => {
    const results = [
      canChangeAffiliation({ affiliation: 'member' }, 'none', 'outcast', { ownerCount: 1, isSelf: false }),
      canChangeAffiliation({ affiliation: 'owner' }, 'owner', 'none', { ownerCount: 1, isSelf: true }),
      canChangeAffiliation({ affiliation: 'admin' }, 'owner', 'outcast', { ownerCount: 1, isSelf: false }),
    ];
    expect(results.map((r) => (r.ok ? 'ok' : r.error.type))).toEqual(['auth', 'cancel', 'cancel']);
  });
});

describe('canSendGroupchat (§7.4)', () => {
  test.each([
    ['moderator', 'ok'], ['participant', 'ok'], ['visitor', 'forbidden'], ['none', 'not-acceptable'],
  ] as [Role, string][])('%s → %s', (role, expected) => {
    expect(outcome(canSendGroupchat({ role }))).toBe(expected);
  });
});

describe('canChangeSubject (§8.1)', () => {
  test.each([
    [false, 'moderator', 'ok'], [false, 'participant', 'forbidden'], [false, 'visitor', 'forbidden'],
    [true, 'moderator', 'ok'], [true, 'participant', 'ok'], [true, 'visitor', 'forbidden'],
    [true, 'none', 'not-acceptable'],
  ] as [boolean, Role, string][])('changesubject=%s, %s → %s', (changesubject, role, expected) => {
    expect(outcome(canChangeSubject({ changesubject }, { role }))).toBe(expected);
  });
});

describe('canSendPrivateMessage (§7.5)', () => {
  test.each([
    ['anyone', 'visitor', 'ok'], ['anyone', 'participant', 'ok'], ['anyone', 'moderator', 'ok'],
    ['participants', 'visitor', 'forbidden'], ['participants', 'participant', 'ok'], ['participants', 'moderator', 'ok'],
    ['moderators', 'visitor', 'forbidden'], ['moderators', 'participant', 'forbidden'], ['moderators', 'moderator', 'ok'],
    ['none', 'visitor', 'forbidden'], ['none', 'participant', 'forbidden'], ['none', 'moderator', 'forbidden'],
    ['anyone', 'none', 'not-acceptable'],
  ] as [AllowPm, Role, string][])('allowpm=%s, %s → %s', (allowpm, role, expected) => {
    expect(outcome(canSendPrivateMessage(allowpm, { role }))).toBe(expected);
  });
});

describe('canInvite (§7.8.2, §9.5)', () => {
  const open = { membersonly: false, allowinvites: false };
  const closed = { membersonly: true, allowinvites: false };
  const closedWithInvites = { membersonly: true, allowinvites: true };
  test.each([
    ['open room, participant', open, participant, 'ok'],
    ['open room, visitor', open, visitor, 'forbidden'],
    ['open room, non-occupant', open, who('none', 'none'), 'forbidden'],
    ['open room, admin outside the room', open, who('none', 'admin'), 'ok'],
    ['members-only room, member', closed, memberParticipant, 'forbidden'],
    ['members-only room, admin', closed, admin, 'ok'],
    ['members-only room, owner', closedWithInvites, owner, 'ok'],
    ['members-only room with allowinvites, member', closedWithInvites, memberParticipant, 'ok'],
    ['members-only room with allowinvites, unaffiliated moderator', closedWithInvites, moderator, 'forbidden'],
  ] as [string, { membersonly: boolean; allowinvites: boolean }, { role: Role; affiliation: Affiliation }, string][])(
    '%s → %s', (_name, config, occupant, expected) => {
      expect(outcome(canInvite(config, occupant))).toBe(expected);
    },
  );
});

describe('canSeeRealJids (§7.2.3, §7.2.4)', () => {
  test('semi-anonymous rooms show real JIDs to moderators only', () => {
    expect(canSeeRealJids('moderators', 'moderator')).toBe(true);
    expect(canSeeRealJids('moderators', 'participant')).toBe(false);
    expect(canSeeRealJids('moderators', 'visitor')).toBe(false);
  });
  test('non-anonymous rooms show real JIDs to everyone', () => {
    expect(canSeeRealJids('anyone', 'visitor')).toBe(true);
    expect(canSeeRealJids('anyone', 'participant')).toBe(true);
  });
});
