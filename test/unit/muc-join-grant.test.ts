/**
 * Pure parts of extended join grants: the engine's XEP-0045 limits on a granted affiliation and
 * role (muc/joining/join-grant.ts) and muc_http_auth's reading of extended answers
 * (muc/plugins/muc_http_auth/extended-answer.ts, verdict.ts).
 */
import { describe, expect, test } from '@jest/globals';
import { grantedAffiliation, grantedRole } from '../../muc/joining/join-grant.js';
import { MAX_REASON_CHARACTERS, readGrant, readReason } from '../../muc/plugins/muc_http_auth/extended-answer.js';
import { verdictOf } from '../../muc/plugins/muc_http_auth/verdict.js';
import type { Affiliation } from '../../muc/index.js';
import type { OutboundResult } from '../../server/net/outbound-http.js';

const OPEN = { moderated: false, membersOnly: false };
const MODERATED = { moderated: true, membersOnly: false };
const MEMBERS_ONLY = { moderated: false, membersOnly: true };

describe('granted affiliation', () => {
  const facts = (current: Affiliation, ownerCount = 1, creating = false) => ({ current, ownerCount, creating });

  test('applied as an owner would set it, raising or lowering', () => {
    expect(grantedAffiliation(facts('none'), 'member')).toEqual({ affiliation: 'member', store: true });
    expect(grantedAffiliation(facts('member'), 'none')).toEqual({ affiliation: 'none', store: true });
    expect(grantedAffiliation(facts('none'), 'owner')).toEqual({ affiliation: 'owner', store: true });
    expect(grantedAffiliation(facts('admin'), 'member')).toEqual({ affiliation: 'member', store: true });
    expect(grantedAffiliation(facts('owner', 2), 'member')).toEqual({ affiliation: 'member', store: true });
  });

  test('nothing to store when absent or unchanged', () => {
    expect(grantedAffiliation(facts('member'), undefined)).toEqual({ affiliation: 'member', store: false });
    expect(grantedAffiliation(facts('member'), 'member')).toEqual({ affiliation: 'member', store: false });
  });

  test('never lifts a ban, never demotes the only owner, never applies to the room\'s creator', () => {
    expect(grantedAffiliation(facts('outcast'), 'member')).toEqual({ affiliation: 'outcast', store: false });
    expect(grantedAffiliation(facts('owner', 1), 'member')).toEqual({ affiliation: 'owner', store: false });
    expect(grantedAffiliation(facts('none', 0, true), 'member')).toEqual({ affiliation: 'owner', store: false });
  });
});

describe('granted role', () => {
  test('the granted role for members and unaffiliated users, in any room they may enter', () => {
    expect(grantedRole('none', OPEN, 'moderator')).toBe('moderator');
    expect(grantedRole('none', MODERATED, 'participant')).toBe('participant');
    expect(grantedRole('member', OPEN, 'visitor')).toBe('visitor');
    expect(grantedRole('member', MEMBERS_ONLY, 'moderator')).toBe('moderator');
  });

  test('the default without a grant; admins and owners stay moderators; a role opens no door', () => {
    expect(grantedRole('none', MODERATED, undefined)).toBe('visitor');
    expect(grantedRole('admin', OPEN, 'visitor')).toBe('moderator');
    expect(grantedRole('owner', OPEN, 'participant')).toBe('moderator');
    expect(grantedRole('none', MEMBERS_ONLY, 'moderator')).toBe('none');
    expect(grantedRole('outcast', OPEN, 'participant')).toBe('none');
  });
});

describe('extended answers', () => {
  const reply = (body: unknown): OutboundResult => ({ ok: true, status: 200, headers: {}, body: Buffer.from(JSON.stringify(body)) });

  test('a grant reads role, affiliation and a prepared nick; null is absent', () => {
    expect(readGrant({ allowed: true, role: 'visitor', affiliation: 'member', nick: 'Alice (support)' }))
      .toEqual({ ok: true, value: { role: 'visitor', affiliation: 'member', nick: 'Alice (support)' } });
    expect(readGrant({ nick: '  Alice  ' })).toEqual({ ok: true, value: { nick: 'Alice' } });
    expect(readGrant({ role: null, affiliation: null, nick: null })).toEqual({ ok: true, value: {} });
  });

  test('values outside the documented ones make the answer malformed', () => {
    for (const answer of [{ role: 'none' }, { role: 'Moderator' }, { role: 1 }, { affiliation: 'outcast' }, { affiliation: true }, { nick: 7 }, { nick: '' }, { nick: 'a\u0000b' }]) {
      const read = readGrant(answer);
      expect([answer, read.ok]).toEqual([answer, false]);
    }
    expect(readGrant({ affiliation: 'outcast' })).toMatchObject({ ok: false, error: expect.stringContaining("invalid 'affiliation' value") });
  });

  test('a reason is trimmed, bounded in code points and cleaned of what XML cannot carry', () => {
    expect(readReason({ reason: '  Renew now  ' })).toEqual({ ok: true, value: 'Renew now' });
    expect(readReason({ reason: 'é'.repeat(MAX_REASON_CHARACTERS + 1) })).toEqual({ ok: true, value: 'é'.repeat(MAX_REASON_CHARACTERS) });
    expect(readReason({ reason: 'a\u0007b\u0080c\udc00d\ufffee\tf' })).toEqual({ ok: true, value: 'abcde\tf' });
    expect(readReason({ reason: '\u0000' })).toEqual({ ok: true, value: undefined });
    expect(readReason({})).toEqual({ ok: true, value: undefined });
    expect(readReason({ reason: ['x'] })).toMatchObject({ ok: false });
  });

  test('verdicts: extended fields are read only when the option is on, and only for the decision taken', () => {
    const granting = reply({ allowed: true, role: 'moderator', reason: 'ignored' });
    expect(verdictOf(granting, true)).toEqual({ kind: 'allowed', grant: { role: 'moderator' } });
    expect(verdictOf(granting, false)).toEqual({ kind: 'allowed', grant: {} });
    expect(verdictOf(reply({ allowed: false, error: 'log', reason: 'shown', role: 'bogus' }), true)).toEqual({ kind: 'refused', error: 'log', reason: 'shown' });
    expect(verdictOf(reply({ allowed: false, reason: 'shown' }), false)).toEqual({ kind: 'refused', error: '' });
    expect(verdictOf(reply({ reason: 'shown' }), true)).toEqual({ kind: 'refused', error: '', reason: 'shown' });
    expect(verdictOf(reply({ allowed: true, role: 'bogus' }), true)).toMatchObject({ kind: 'failed', problem: expect.stringContaining("invalid 'role'") });
    expect(verdictOf(reply({ allowed: 'true', role: 'moderator' }), true)).toMatchObject({ kind: 'failed', problem: expect.stringContaining("invalid 'allowed'") });
  });
});
