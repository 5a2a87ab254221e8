/**
 * PEP's pure rules: node configuration forms (XEP-0060 §16.4.3), publish-options preconditions
 * (§7.1.5), item replacement and trimming (§7.1.2), and access models (§4.5).
 */
import { describe, expect, test } from '@jest/globals';
import { Element } from 'ltx';
import { emptyRoster } from '../../roster/index.js';
import { applyConfigForm, defaultNodeConfig, differingFields } from '../../im/pep/node-config.js';
import { publishItem } from '../../im/pep/node-operations.js';
import { accessDenial } from '../../im/pep/pep-access.js';
import type { UserNodes } from '../../im/pep/pep-store.js';

const fields = (entries: Record<string, string | string[]>): Map<string, string[]> =>
  new Map(Object.entries(entries).map(([name, value]) => [name, Array.isArray(value) ? value : [value]]));

describe('configuration forms', () => {
  test('known fields apply; "max" is the limit; unknown fields are ignored', () => {
    const applied = applyConfigForm(defaultNodeConfig(256), fields({
      'pubsub#access_model': 'open', 'pubsub#max_items': 'max', 'pubsub#persist_items': 'false', 'pubsub#send_last_published_item': 'never',
    }), 256);
    expect(applied.ok && applied.value).toMatchObject({ accessModel: 'open', maxItems: 256, persistItems: false, notifyRetract: true });
  });

  test.each([
    ['pubsub#access_model', 'authorize'], ['pubsub#max_items', '0'], ['pubsub#max_items', '257'],
    ['pubsub#max_items', 'ten'], ['pubsub#persist_items', 'maybe'],
  ])('%s = %s is not acceptable', (name, value) => {
    const applied = applyConfigForm(defaultNodeConfig(256), fields({ [name]: value }), 256);
    expect(applied.ok ? undefined : applied.error.condition).toBe('not-acceptable');
  });

  test('preconditions compare only what differs', () => {
    const base = defaultNodeConfig(256);
    const same = applyConfigForm(base, fields({ 'pubsub#access_model': 'presence', 'pubsub#max_items': 'max' }), 256);
    expect(same.ok && differingFields(base, same.value)).toEqual([]);
    const other = applyConfigForm(base, fields({ 'pubsub#access_model': 'open', 'pubsub#roster_groups_allowed': ['A'] }), 256);
    expect(other.ok && differingFields(base, other.value)).toEqual(['pubsub#access_model', 'pubsub#roster_groups_allowed']);
  });
});

describe('publishing', () => {
  const item = (id: string): Element => new Element('item', { id }).c('x', { xmlns: 'urn:test' }).t(id).root();

  test('an id already present is replaced and becomes the latest; past max_items the oldest go', () => {
    const nodes: UserNodes = { nodes: {} };
    const options = fields({ 'pubsub#max_items': '2' });
    for (const id of ['a', 'b', 'a', 'c']) expect(publishItem(nodes, 'n', item(id), options, 256).ok).toBe(true);
    expect(nodes.nodes.n?.items.map((stored) => stored.id)).toEqual(['a', 'c']);
  });

  test('a node with persist_items false keeps nothing but still publishes', () => {
    const nodes: UserNodes = { nodes: {} };
    const published = publishItem(nodes, 'n', item('a'), fields({ 'pubsub#persist_items': '0' }), 256);
    expect(published.ok && published.value.value.item.attrs.id).toBe('a');
    expect(nodes.nodes.n?.items).toEqual([]);
  });
});

describe('access models', () => {
  const roster = emptyRoster();
  roster.items.set('friend@localhost', { jid: 'friend@localhost', groups: ['Friends'], subscription: 'both' });
  roster.items.set('fan@localhost', { jid: 'fan@localhost', groups: [], subscription: 'to' });
  const config = (accessModel: 'presence' | 'open' | 'roster' | 'whitelist') => ({ ...defaultNodeConfig(256), accessModel, rosterGroupsAllowed: ['Friends'] });
  const verdict = (model: 'presence' | 'open' | 'roster' | 'whitelist', who: string): string | undefined =>
    accessDenial(config(model), 'owner@localhost', who, roster)?.appCondition?.name;

  test.each([
    ['presence', 'friend@localhost', undefined], ['presence', 'fan@localhost', 'presence-subscription-required'],
    ['open', 'stranger@localhost', undefined], ['roster', 'friend@localhost', undefined], ['roster', 'fan@localhost', 'not-in-roster-group'],
    ['whitelist', 'friend@localhost', 'closed-node'], ['whitelist', 'owner@localhost', undefined],
  ] as const)('%s: %s -> %s', (model, who, expected) => {
    expect(verdict(model, who)).toBe(expected);
  });
});
