import { describe, expect, test } from '@jest/globals';
import type { Affiliation, Role } from '../../muc/index.js';
import {
  AFFILIATION_PRIVILEGES, ROLE_PRIVILEGES, defaultRole, hasAffiliationPrivilege, hasRolePrivilege,
  isAffiliation, isRole, type AffiliationPrivilege, type RolePrivilege,
} from '../../muc/rooms/roles-affiliations.js';

// XEP-0045 §5.1.1, transcribed independently of the implementation: Y = yes, N = no, * = default.
const ROLE_TABLE: [RolePrivilege, string, string, string, string][] = [
  // privilege                              none  visitor participant moderator
  ['present-in-room',                       'N', 'Y',  'Y',  'Y'],
  ['receive-messages',                      'N', 'Y',  'Y',  'Y'],
  ['receive-occupant-presence',             'N', 'Y',  'Y',  'Y'],
  ['broadcast-presence-to-all-occupants',   'N', 'Y*', 'Y',  'Y'],
  ['change-availability-status',            'N', 'Y*', 'Y',  'Y'],
  ['change-room-nickname',                  'N', 'Y*', 'Y',  'Y'],
  ['send-private-messages',                 'N', 'Y*', 'Y',  'Y'],
  ['invite-other-users',                    'N', 'Y*', 'Y*', 'Y'],
  ['send-messages-to-all',                  'N', 'N',  'Y',  'Y'],
  ['modify-subject',                        'N', 'N*', 'Y*', 'Y'],
  ['kick-participants-and-visitors',        'N', 'N',  'N',  'Y'],
  ['grant-voice',                           'N', 'N',  'N',  'Y'],
  ['revoke-voice',                          'N', 'N',  'N',  'Y'],
];

// XEP-0045 §5.2.1.
const AFFILIATION_TABLE: [AffiliationPrivilege, string, string, string, string, string][] = [
  // privilege                              outcast none  member admin owner
  ['enter-open-room',                       'N', 'Y*', 'Y',  'Y', 'Y'],
  ['register-with-open-room',               'N', 'Y',  '-',  '-', '-'],
  ['retrieve-member-list',                  'N', 'N',  'Y',  'Y', 'Y'],
  ['enter-members-only-room',               'N', 'N',  'Y*', 'Y', 'Y'],
  ['ban-members-and-unaffiliated-users',    'N', 'N',  'N',  'Y', 'Y'],
  ['edit-member-list',                      'N', 'N',  'N',  'Y', 'Y'],
  ['assign-and-remove-moderator-role',      'N', 'N',  'N',  'Y', 'Y'],
  ['edit-admin-list',                       'N', 'N',  'N',  'N', 'Y'],
  ['edit-owner-list',                       'N', 'N',  'N',  'N', 'Y'],
  ['change-room-configuration',             'N', 'N',  'N',  'N', 'Y'],
  ['destroy-room',                          'N', 'N',  'N',  'N', 'Y'],
];

const CELL: Record<string, string> = { Y: 'yes', N: 'no', 'Y*': 'yes*', 'N*': 'no*', '-': 'n/a' };

describe('§5.1.1 role privileges', () => {
  const roles: Role[] = ['none', 'visitor', 'participant', 'moderator'];
  test('the table lists every privilege of the XEP and nothing else', () => {
    expect(Object.keys(ROLE_PRIVILEGES).sort()).toEqual(ROLE_TABLE.map(([p]) => p).sort());
  });
  test.each(ROLE_TABLE)('%s', (privilege, ...cells) => {
    roles.forEach((role, i) => {
      expect(ROLE_PRIVILEGES[privilege][role]).toBe(CELL[cells[i] ?? '']);
      expect(hasRolePrivilege(role, privilege)).toBe((cells[i] ?? '').startsWith('Y'));
    });
  });
});

describe('§5.2.1 affiliation privileges', () => {
  const affiliations: Affiliation[] = ['outcast', 'none', 'member', 'admin', 'owner'];
  test('the table lists every privilege of the XEP and nothing else', () => {
    expect(Object.keys(AFFILIATION_PRIVILEGES).sort()).toEqual(AFFILIATION_TABLE.map(([p]) => p).sort());
  });
  test.each(AFFILIATION_TABLE)('%s', (privilege, ...cells) => {
    affiliations.forEach((affiliation, i) => {
      expect(AFFILIATION_PRIVILEGES[privilege][affiliation]).toBe(CELL[cells[i] ?? '']);
      expect(hasAffiliationPrivilege(affiliation, privilege)).toBe((cells[i] ?? '').startsWith('Y'));
    });
  });
});

describe('§5.1.2 default roles', () => {
  const open = { moderated: false, membersOnly: false };
  const moderated = { moderated: true, membersOnly: false };
  const membersOnly = { moderated: false, membersOnly: true };
  test.each([
    // affiliation, room, role
    ['owner', open, 'moderator'], ['admin', open, 'moderator'], ['member', open, 'participant'],
    ['none', open, 'participant'], ['outcast', open, 'none'],
    ['owner', moderated, 'moderator'], ['admin', moderated, 'moderator'], ['member', moderated, 'participant'],
    ['none', moderated, 'visitor'], ['outcast', moderated, 'none'],
    ['owner', membersOnly, 'moderator'], ['member', membersOnly, 'participant'], ['none', membersOnly, 'none'],
  ] as [Affiliation, { moderated: boolean; membersOnly: boolean }, Role][])('%s in %o enters as %s', (affiliation, room, role) => {
    expect(defaultRole(affiliation, room)).toBe(role);
  });
});

describe('value guards', () => {
  test('roles and affiliations are recognised exactly', () => {
    expect(['moderator', 'participant', 'visitor', 'none'].every(isRole)).toBe(true);
    expect(['owner', 'admin', 'member', 'none', 'outcast'].every(isAffiliation)).toBe(true);
    expect(isRole('owner')).toBe(false);
    expect(isAffiliation('moderator')).toBe(false);
    expect(isRole('Moderator')).toBe(false);
    expect(isAffiliation(undefined)).toBe(false);
  });
});
