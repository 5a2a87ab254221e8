import { describe, test, expect } from '@jest/globals';
import { parse, type Element } from 'ltx';
import { Jid } from '../../server/jid/index.js';
import type { StanzaError } from '../../server/errors/index.js';
import { rosterItemElement, rosterQueryElement, type RosterItem } from '../../roster/index.js';
import {
  applyRosterSet, itemState, parseRosterSetItem, removedItemElement, withState,
  type ParsedRosterSet,
} from '../../roster/roster-item.js';
import { stateName } from '../../roster/subscription-state.js';

const owner = Jid.of('juliet', 'example.com', 'balcony');

function query(items: string): Element {
  return parse(`<query xmlns='jabber:iq:roster'>${items}</query>`);
}

function parsed(items: string, limits?: { maxNameLength: number }): ParsedRosterSet {
  const result = parseRosterSetItem(query(items), owner, limits);
  if (!result.ok) throw new Error(`unexpected ${result.error.condition}: ${result.error.text ?? ''}`);
  return result.value;
}

function failure(items: string, limits?: { maxNameLength: number }): StanzaError {
  const result = parseRosterSetItem(query(items), owner, limits);
  if (result.ok) throw new Error('expected an error');
  return result.error;
}

describe('parseRosterSetItem (RFC 6121 §2.3.3, §2.5.3)', () => {
  test('a valid set yields the normalised bare JID, the name and the groups in order', () => {
    const set = parsed("<item jid='Romeo@Example.COM' name='Romeo'><group>Friends</group><group>Lovers</group></item>");
    expect(set.action).toBe('update');
    expect(set.jid.toString()).toBe('romeo@example.com');
    if (set.action !== 'update') return;
    expect(set.name).toBe('Romeo');
    expect(set.groups).toEqual(['Friends', 'Lovers']);
  });

  test('§2.1.2: subscription values other than remove, ask and approved from the client are ignored', () => {
    const set = parsed("<item jid='romeo@example.net' subscription='both' ask='subscribe' approved='true'/>");
    expect(set).toMatchObject({ action: 'update', name: undefined, groups: [] });
  });

  test('§2.1.2.5: an unknown subscription value is ignored too', () => {
    expect(parsed("<item jid='romeo@example.net' subscription='bogus'/>").action).toBe('update');
  });

  test('§2.5: subscription=remove is a removal, and its groups are not checked', () => {
    const set = parsed("<item jid='romeo@example.net' subscription='remove'><group>a</group><group>a</group></item>");
    expect(set.action).toBe('remove');
    expect(set.jid.toString()).toBe('romeo@example.net');
  });

  test('an empty name is no name', () => {
    expect(parsed("<item jid='romeo@example.net' name=''/>")).toMatchObject({ name: undefined });
  });

  test('a domain JID (e.g. a gateway) is a valid item', () => {
    expect(parsed("<item jid='irc.example.org'/>").jid.toString()).toBe('irc.example.org');
  });

  test('children in other namespaces are not items', () => {
    expect(parsed("<item jid='romeo@example.net'/><item xmlns='urn:example:other' jid='x@y'/>").action).toBe('update');
  });

  test.each([
    ['two items (§2.3.3)', "<item jid='a@example.net'/><item jid='b@example.net'/>"],
    ['no item', ''],
    ['an item without jid', '<item/>'],
    ['a group listed twice (§2.3.3)', "<item jid='romeo@example.net'><group>Friends</group><group>Friends</group></item>"],
    ['a full JID (as Prosody answers)', "<item jid='romeo@example.net/orchard'/>"],
  ])('%s is bad-request', (_case, items) => {
    expect(failure(items)).toMatchObject({ condition: 'bad-request', type: 'modify' });
  });

  test.each([
    ['two @', 'romeo@example@net'],
    ['an empty local part', '@example.net'],
    ['a space in the local part', 'ro meo@example.net'],
    ['an empty resource', 'romeo@example.net/'],
  ])('a jid with %s is jid-malformed', (_case, jid) => {
    expect(failure(`<item jid='${jid}'/>`)).toMatchObject({ condition: 'jid-malformed', type: 'modify' });
  });

  test("the user's own bare JID, in any case, is not-allowed", () => {
    expect(failure("<item jid='JULIET@example.com'/>")).toMatchObject({ condition: 'not-allowed', type: 'cancel' });
    expect(failure("<item jid='juliet@example.com' subscription='remove'/>").condition).toBe('not-allowed');
  });

  test('§2.3.3: an empty group is not-acceptable', () => {
    expect(failure("<item jid='romeo@example.net'><group/></item>")).toMatchObject({ condition: 'not-acceptable', type: 'modify' });
  });

  test('§2.3.3: names and groups are limited in UTF-8 bytes (max_roster_name_length)', () => {
    const limits = { maxNameLength: 10 };
    expect(parsed(`<item jid='r@example.net' name='${'é'.repeat(5)}'/>`, limits)).toMatchObject({ name: 'é'.repeat(5) });
    expect(failure(`<item jid='r@example.net' name='${'é'.repeat(6)}'/>`, limits).condition).toBe('not-acceptable');
    expect(parsed(`<item jid='r@example.net'><group>${'g'.repeat(10)}</group></item>`, limits).action).toBe('update');
    expect(failure(`<item jid='r@example.net'><group>${'g'.repeat(11)}</group></item>`, limits).condition).toBe('not-acceptable');
  });

  test('the default limit is 1023 bytes', () => {
    expect(parsed(`<item jid='r@example.net' name='${'a'.repeat(1023)}'/>`).action).toBe('update');
    expect(failure(`<item jid='r@example.net' name='${'a'.repeat(1024)}'/>`).condition).toBe('not-acceptable');
  });
});

describe('applying a roster set', () => {
  const set = parsed("<item jid='romeo@example.net'><group>Lovers</group></item>");
  if (set.action !== 'update') throw new Error('expected an update');

  test('§2.4.1: the item is replaced as sent, keeping the server-owned subscription fields', () => {
    const existing: RosterItem = {
      jid: 'romeo@example.net', name: 'Romeo', groups: ['Friends'], subscription: 'to', pendingIn: true, approved: false,
    };
    expect(applyRosterSet(existing, set)).toEqual({ jid: 'romeo@example.net', groups: ['Lovers'], subscription: 'to', pendingIn: true });
  });

  test('a new item starts with subscription none', () => {
    expect(applyRosterSet(undefined, set)).toEqual({ jid: 'romeo@example.net', groups: ['Lovers'], subscription: 'none' });
  });
});

describe('items and subscription states', () => {
  test('a missing item is None, or None + Pending In when a request waits', () => {
    expect(stateName(itemState(undefined))).toBe('None');
    expect(stateName(itemState(undefined, true))).toBe('None + Pending In');
  });

  test('withState writes the state and leaves absent flags out', () => {
    const item: RosterItem = { jid: 'romeo@example.net', name: 'Romeo', groups: ['Friends'], subscription: 'none', ask: 'subscribe' };
    const state = itemState({ ...item, subscription: 'from' });
    expect(withState(item, state)).toEqual({ jid: 'romeo@example.net', name: 'Romeo', groups: ['Friends'], subscription: 'from', ask: 'subscribe' });
    expect(stateName(itemState(item, true))).toBe('None + Pending Out+In');
  });
});

describe('serialising items', () => {
  const item: RosterItem = {
    jid: 'romeo@example.net', name: 'Romeo', groups: ['Friends', 'Lovers'], subscription: 'none', ask: 'subscribe', pendingIn: true, approved: true,
  };

  test('the item carries jid, name, subscription, ask and groups, never pendingIn or approved', () => {
    const el = rosterItemElement(item);
    expect(el.name).toBe('item');
    expect(el.attrs).toEqual({ jid: 'romeo@example.net', name: 'Romeo', subscription: 'none', ask: 'subscribe' });
    expect(el.getChildren('group').map((g) => g.getText())).toEqual(['Friends', 'Lovers']);
    expect(el.toString()).not.toMatch(/pending|approved/i);
  });

  test('approved is emitted only on request (RFC 6121 §2.1.2.1)', () => {
    expect(rosterItemElement(item, { includeApproved: true }).attrs.approved).toBe('true');
    expect(rosterItemElement({ ...item, approved: false }, { includeApproved: true }).attrs.approved).toBeUndefined();
  });

  test('a removal push item and the query wrapper', () => {
    const query = rosterQueryElement([removedItemElement('romeo@example.net')], '42');
    expect(query.attrs).toEqual({ xmlns: 'jabber:iq:roster', ver: '42' });
    const removed = query.getChild('item', 'jabber:iq:roster');
    expect(removed?.attrs).toEqual({ jid: 'romeo@example.net', subscription: 'remove' });
    expect(rosterQueryElement([]).attrs.ver).toBeUndefined();
  });

  test('the element round-trips through the parser', () => {
    const reparsed = parseRosterSetItem(query(rosterItemElement(item).toString()), owner);
    expect(reparsed.ok && reparsed.value).toMatchObject({ action: 'update', name: 'Romeo', groups: ['Friends', 'Lovers'] });
  });
});
