/** Replacing a whole roster through the admin API: what is set, removed and kept (pure). */
import { describe, expect, test } from '@jest/globals';
import type { RosterItem } from '../../roster/index.js';
import { replaceRoster } from '../../admin/rosters/roster-replacement.js';
import { rosterReplaceBody } from '../../admin/rosters/roster-schemas.js';

function current(...items: RosterItem[]): Map<string, RosterItem> {
  return new Map(items.map((item) => [item.jid, item]));
}

const inputs = (items: unknown[]) => rosterReplaceBody.parse({ items }).items;

describe('replaceRoster', () => {
  test('new and changed items are set with what they replace; unlisted ones are removed; equal ones are left alone', () => {
    const bob: RosterItem = { jid: 'bob@example.com', name: 'Bob', groups: ['Friends'], subscription: 'both' };
    const carol: RosterItem = { jid: 'carol@example.com', groups: [], subscription: 'none' };
    const dave: RosterItem = { jid: 'dave@example.com', groups: [], subscription: 'to' };
    const result = replaceRoster(current(bob, carol, dave), inputs([
      { jid: 'Bob@Example.com', name: 'Bob', groups: ['Friends'], subscription: 'both' },
      { jid: 'carol@example.com', name: 'Carol' },
      { jid: 'erin@example.com', groups: ['Work', 'Work'], subscription: 'from' },
    ]));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.changes.set).toEqual([
      { item: { jid: 'carol@example.com', name: 'Carol', groups: [], subscription: 'none' }, previous: carol },
      { item: { jid: 'erin@example.com', groups: ['Work'], subscription: 'from' } },
    ]);
    expect(result.value.changes.removed).toEqual([dave]);
    expect([...result.value.items.keys()]).toEqual(['bob@example.com', 'carol@example.com', 'erin@example.com']);
  });

  test('a pending request and a pre-approval survive while the new subscription leaves room for them', () => {
    const asked: RosterItem = { jid: 'a@example.com', groups: [], subscription: 'none', ask: 'subscribe', approved: true, pendingIn: true };
    const kept = replaceRoster(current(asked), inputs([{ jid: 'a@example.com' }]));
    expect(kept.ok && kept.value.changes.set).toEqual([]);
    const both = replaceRoster(current(asked), inputs([{ jid: 'a@example.com', subscription: 'both' }]));
    expect(both.ok && both.value.items.get('a@example.com')).toEqual({ jid: 'a@example.com', groups: [], subscription: 'both', pendingIn: true });
  });

  test('a JID with a resource or no JID at all is refused by index; so is a repeated JID', () => {
    expect(replaceRoster(current(), inputs([{ jid: 'ok@example.com' }, { jid: 'x@example.com/phone' }]))).toEqual({ ok: false, error: { kind: 'invalid-jid', index: 1 } });
    expect(replaceRoster(current(), inputs([{ jid: '@@' }]))).toEqual({ ok: false, error: { kind: 'invalid-jid', index: 0 } });
    expect(replaceRoster(current(), inputs([{ jid: 'x@example.com' }, { jid: 'X@EXAMPLE.COM' }]))).toEqual({ ok: false, error: { kind: 'duplicate-jid', index: 1 } });
  });

  test('an empty list removes every item', () => {
    const result = replaceRoster(current({ jid: 'b@example.com', groups: [], subscription: 'both' }), []);
    expect(result.ok && result.value.changes.removed.map((item) => item.jid)).toEqual(['b@example.com']);
  });
});
