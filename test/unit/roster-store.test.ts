import { describe, test, expect } from '@jest/globals';
import { Jid } from '../../server/jid/index.js';
import type { KeyValueStore } from '../../server/storage/index.js';
import {
  DEFAULT_MAX_ROSTER_SIZE, emptyRoster, type PendingSubscription, type Roster,
} from '../../roster/index.js';
import {
  RosterDataError, createKeyValueRosterStore, deserialiseRoster, serialiseRoster,
  type SerialisedRoster,
} from '../../roster/roster-store.js';
import { checkRosterCapacity, contactState, rosterEntryCount, setContactState } from '../../roster/roster.js';
import { stateFromName, stateName, transition } from '../../roster/subscription-state.js';

/** Keeps values as JSON text, so anything that is not plain JSON would not survive. */
class JsonTextStore<T> implements KeyValueStore<T> {
  readonly texts = new Map<string, string>();
  async get(key: string): Promise<T | undefined> {
    const text = this.texts.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }
  async set(key: string, value: T): Promise<void> {
    this.texts.set(key, JSON.stringify(value));
  }
  async delete(key: string): Promise<void> {
    this.texts.delete(key);
  }
  async keys(): Promise<string[]> {
    return [...this.texts.keys()];
  }
}

const juliet = Jid.of('juliet', 'example.com', 'balcony');
const request: PendingSubscription = { status: 'hi', nick: 'Nurse', receivedAt: '2024-05-01T10:00:00.000Z' };

function sampleRoster(): Roster {
  const roster = emptyRoster();
  roster.version = 5;
  roster.items.set('romeo@example.net', { jid: 'romeo@example.net', name: 'Romeo', groups: ['Friends'], subscription: 'both' });
  roster.items.set('tybalt@example.net', { jid: 'tybalt@example.net', groups: [], subscription: 'to', pendingIn: true });
  roster.items.set('benvolio@example.net', { jid: 'benvolio@example.net', groups: [], subscription: 'none', ask: 'subscribe', approved: true });
  roster.pendingIn.set('tybalt@example.net', request);
  roster.pendingIn.set('nurse@example.com', request);
  return roster;
}

describe('createKeyValueRosterStore', () => {
  test('a user with no saved roster gets an empty one at version 0', async () => {
    const store = createKeyValueRosterStore(new JsonTextStore<SerialisedRoster>());
    const roster = await store.load(juliet);
    expect(roster.version).toBe(0);
    expect(roster.items.size).toBe(0);
    expect(roster.pendingIn.size).toBe(0);
  });

  test('a roster survives a save and load through JSON text, keyed by the local part', async () => {
    const kv = new JsonTextStore<SerialisedRoster>();
    const store = createKeyValueRosterStore(kv);
    await store.save(juliet, sampleRoster());
    expect([...kv.texts.keys()]).toEqual(['juliet']);
    const loaded = await store.load(Jid.of('juliet', 'example.com'));
    expect(loaded).toEqual(sampleRoster());
  });

  test('"pending in" is stored once, in the requests, never on items', () => {
    const stored = serialiseRoster(sampleRoster());
    expect(JSON.stringify(stored.items)).not.toContain('pendingIn');
    expect(stored.pendingIn.map((p) => p.jid)).toEqual(['tybalt@example.net', 'nurse@example.com']);
    expect(deserialiseRoster(stored).items.get('tybalt@example.net')?.pendingIn).toBe(true);
  });

  test('a domain JID has no roster', async () => {
    const store = createKeyValueRosterStore(new JsonTextStore<SerialisedRoster>());
    await expect(store.load(Jid.of('', 'example.com'))).rejects.toThrow(TypeError);
  });
});

describe('deserialiseRoster', () => {
  const valid = serialiseRoster(sampleRoster());

  test.each([
    ['not an object', 'roster'],
    ['a negative version', { ...valid, version: -1 }],
    ['a fractional version', { ...valid, version: 1.5 }],
    ['items not a list', { ...valid, items: {} }],
    ['an item without jid', { ...valid, items: [{ groups: [], subscription: 'none' }] }],
    ['a bad subscription', { ...valid, items: [{ jid: 'a@b', groups: [], subscription: 'some' }] }],
    ['a bad group', { ...valid, items: [{ jid: 'a@b', groups: [3], subscription: 'none' }] }],
    ['a bad ask', { ...valid, items: [{ jid: 'a@b', groups: [], subscription: 'none', ask: 'yes' }] }],
    ['a request without its time', { ...valid, pendingIn: [{ jid: 'a@b', status: 'hi' }] }],
    ['a request with a status that is not text', { ...valid, pendingIn: [{ jid: 'a@b', status: 5, receivedAt: 'x' }] }],
    ['a request kept whole by an earlier version that is not XML', { ...valid, pendingIn: [{ jid: 'a@b', stanza: '<presence', receivedAt: 'x' }] }],
  ])('%s is a RosterDataError', (_case, value) => {
    expect(() => deserialiseRoster(value)).toThrow(RosterDataError);
  });

  test('a request kept whole by an earlier version loads as what is kept now', () => {
    const stanza = "<presence from='a@b' to='juliet@example.com' type='subscribe'><status>hello</status>"
      + "<nick xmlns='http://jabber.org/protocol/nick'>A</nick><big>" + 'x'.repeat(1000) + '</big></presence>';
    const roster = deserialiseRoster({ version: 1, items: [], pendingIn: [{ jid: 'a@b', stanza, receivedAt: 'T' }] });
    expect(roster.pendingIn.get('a@b')).toEqual({ status: 'hello', nick: 'A', receivedAt: 'T' });
    expect(serialiseRoster(roster).pendingIn).toEqual([{ jid: 'a@b', status: 'hello', nick: 'A', receivedAt: 'T' }]);
  });

  test('flags that no defined state carries are dropped on load', () => {
    const roster = deserialiseRoster({ version: 1, items: [{ jid: 'a@b', groups: [], subscription: 'both', ask: 'subscribe', approved: true }], pendingIn: [] });
    expect(roster.items.get('a@b')).toEqual({ jid: 'a@b', groups: [], subscription: 'both' });
  });
});

describe('recording subscription states in a roster', () => {
  test('a request alone creates no item (RFC 6121 §3.1.3), its approval does', () => {
    const roster = emptyRoster();
    const asked = transition(contactState(roster, 'nurse@example.com'), 'inbound', 'subscribe');
    setContactState(roster, 'nurse@example.com', asked.state, request);
    expect(roster.items.has('nurse@example.com')).toBe(false);
    expect(roster.pendingIn.get('nurse@example.com')).toEqual(request);
    expect(stateName(contactState(roster, 'nurse@example.com'))).toBe('None + Pending In');

    const approved = transition(contactState(roster, 'nurse@example.com'), 'outbound', 'subscribed');
    setContactState(roster, 'nurse@example.com', approved.state);
    expect(roster.pendingIn.has('nurse@example.com')).toBe(false);
    expect(roster.items.get('nurse@example.com')).toEqual({ jid: 'nurse@example.com', groups: [], subscription: 'from' });
  });

  test('an existing item keeps its name and groups', () => {
    const roster = sampleRoster();
    setContactState(roster, 'romeo@example.net', stateFromName('To'));
    expect(roster.items.get('romeo@example.net')).toEqual({ jid: 'romeo@example.net', name: 'Romeo', groups: ['Friends'], subscription: 'to' });
  });

  test('a pre-approval of an unknown contact creates an item (RFC 6121 §3.4.2)', () => {
    const roster = emptyRoster();
    const result = transition(contactState(roster, 'romeo@example.net'), 'outbound', 'subscribed');
    setContactState(roster, 'romeo@example.net', result.state);
    expect(roster.items.get('romeo@example.net')).toEqual({ jid: 'romeo@example.net', groups: [], subscription: 'none', approved: true });
  });

  test('a new pending request without its stanza is a bug', () => {
    expect(() => setContactState(emptyRoster(), 'a@b', stateFromName('None + Pending In'))).toThrow(TypeError);
  });
});

describe('max_roster_size', () => {
  test('items and requests count once per JID', () => {
    expect(rosterEntryCount(sampleRoster())).toBe(4);
    expect(DEFAULT_MAX_ROSTER_SIZE).toBe(1000);
  });

  test('a full roster refuses a new JID with policy-violation but accepts known ones', () => {
    const roster = sampleRoster();
    expect(checkRosterCapacity(roster, 'mercutio@example.net', 5).ok).toBe(true);
    const refused = checkRosterCapacity(roster, 'mercutio@example.net', 4);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.condition).toBe('policy-violation');
    expect(checkRosterCapacity(roster, 'romeo@example.net', 4).ok).toBe(true);
    expect(checkRosterCapacity(roster, 'nurse@example.com', 4).ok).toBe(true);
  });
});
