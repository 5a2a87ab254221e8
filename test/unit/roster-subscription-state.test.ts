import { describe, test, expect } from '@jest/globals';
import {
  DEFINED_STATES, stateFromName, stateName, subscriptionState, transition, type DefinedStateName,
  type SubscriptionDirection, type SubscriptionStanzaType,
} from '../../roster/subscription-state.js';

/** One row of an RFC 6121 Appendix A table, with the side effects Salon attaches to it. */
interface Row {
  section: string;
  title: string;
  direction: SubscriptionDirection;
  type: SubscriptionStanzaType;
  from: DefinedStateName;
  forward: boolean;
  to: DefinedStateName | 'no state change';
  push: boolean;
  autoReply?: 'subscribed' | 'unsubscribed';
  presence?: 'available' | 'unavailable';
  /** The pre-approval flag after the stanza (starting from no pre-approval). */
  approved?: boolean;
}

type RowSpec = [DefinedStateName, boolean, DefinedStateName | 'no state change', boolean, Partial<Row>?];

function table(section: string, title: string, direction: SubscriptionDirection, type: SubscriptionStanzaType, specs: RowSpec[]): Row[] {
  return specs.map(([from, forward, to, push, extra]) => ({ section, title, direction, type, from, forward, to, push, ...extra }));
}

const NSC = 'no state change';

const ROWS: Row[] = [
  ...table('A.2.1', 'Subscribe', 'outbound', 'subscribe', [
    ['None', true, 'None + Pending Out', true],
    ['None + Pending Out', true, NSC, false],
    ['None + Pending In', true, 'None + Pending Out+In', true],
    ['None + Pending Out+In', true, NSC, false],
    ['To', true, NSC, false],
    ['To + Pending In', true, NSC, false],
    ['From', true, 'From + Pending Out', true],
    ['From + Pending Out', true, NSC, false],
    ['Both', true, NSC, false],
  ]),
  ...table('A.2.2', 'Unsubscribe', 'outbound', 'unsubscribe', [
    ['None', true, NSC, false],
    ['None + Pending Out', true, 'None', true],
    ['None + Pending In', true, NSC, false],
    ['None + Pending Out+In', true, 'None + Pending In', true],
    ['To', true, 'None', true],
    ['To + Pending In', true, 'None + Pending In', true],
    ['From', true, NSC, false],
    ['From + Pending Out', true, 'From', true],
    ['Both', true, 'From', true],
  ]),
  ...table('A.2.3', 'Subscribed', 'outbound', 'subscribed', [
    // §3.4.2: no request pending: a pre-approval, noted and pushed, not routed.
    ['None', false, NSC, true, { approved: true }],
    ['None + Pending Out', false, NSC, true, { approved: true }],
    ['None + Pending In', true, 'From', true, { presence: 'available' }],
    ['None + Pending Out+In', true, 'From + Pending Out', true, { presence: 'available' }],
    ['To', false, NSC, true, { approved: true }],
    ['To + Pending In', true, 'Both', true, { presence: 'available' }],
    ['From', false, NSC, false],
    ['From + Pending Out', false, NSC, false],
    ['Both', false, NSC, false],
  ]),
  ...table('A.2.4', 'Unsubscribed', 'outbound', 'unsubscribed', [
    ['None', false, NSC, false],
    ['None + Pending Out', false, NSC, false],
    ['None + Pending In', true, 'None', false],
    ['None + Pending Out+In', true, 'None + Pending Out', false],
    ['To', false, NSC, false],
    ['To + Pending In', true, 'To', false],
    ['From', true, 'None', true, { presence: 'unavailable' }],
    ['From + Pending Out', true, 'None + Pending Out', true, { presence: 'unavailable' }],
    ['Both', true, 'To', true, { presence: 'unavailable' }],
  ]),
  ...table('A.3.1', 'Subscribe', 'inbound', 'subscribe', [
    ['None', true, 'None + Pending In', false],
    ['None + Pending Out', true, 'None + Pending Out+In', false],
    ['None + Pending In', false, NSC, false],
    ['None + Pending Out+In', false, NSC, false],
    ['To', true, 'To + Pending In', false],
    ['To + Pending In', false, NSC, false],
    ['From', false, NSC, false, { autoReply: 'subscribed', presence: 'available' }],
    ['From + Pending Out', false, NSC, false, { autoReply: 'subscribed', presence: 'available' }],
    ['Both', false, NSC, false, { autoReply: 'subscribed', presence: 'available' }],
  ]),
  ...table('A.3.2', 'Unsubscribe', 'inbound', 'unsubscribe', [
    ['None', false, NSC, false],
    ['None + Pending Out', false, NSC, false],
    ['None + Pending In', true, 'None', false, { autoReply: 'unsubscribed' }],
    ['None + Pending Out+In', true, 'None + Pending Out', false, { autoReply: 'unsubscribed' }],
    ['To', false, NSC, false],
    ['To + Pending In', true, 'To', false, { autoReply: 'unsubscribed' }],
    ['From', true, 'None', true, { autoReply: 'unsubscribed', presence: 'unavailable' }],
    ['From + Pending Out', true, 'None + Pending Out', true, { autoReply: 'unsubscribed', presence: 'unavailable' }],
    ['Both', true, 'To', true, { autoReply: 'unsubscribed', presence: 'unavailable' }],
  ]),
  ...table('A.3.3', 'Subscribed', 'inbound', 'subscribed', [
    ['None', false, NSC, false],
    ['None + Pending Out', true, 'To', true],
    ['None + Pending In', false, NSC, false],
    ['None + Pending Out+In', true, 'To + Pending In', true],
    ['To', false, NSC, false],
    ['To + Pending In', false, NSC, false],
    ['From', false, NSC, false],
    ['From + Pending Out', true, 'Both', true],
    ['Both', false, NSC, false],
  ]),
  ...table('A.3.4', 'Unsubscribed', 'inbound', 'unsubscribed', [
    ['None', false, NSC, false],
    ['None + Pending Out', true, 'None', true],
    ['None + Pending In', false, NSC, false],
    ['None + Pending Out+In', true, 'None + Pending In', true],
    ['To', true, 'None', true],
    ['To + Pending In', true, 'None + Pending In', true],
    ['From', false, NSC, false],
    ['From + Pending Out', true, 'From', true],
    ['Both', true, 'From', true],
  ]),
];

function rowName(row: Row): string {
  const verb = row.direction === 'outbound' ? 'route' : 'deliver';
  const to = row.to === NSC ? NSC : `"${row.to}"`;
  return `${row.section} ${row.title}: "${row.from}" | ${verb}? ${row.forward ? 'yes' : 'no'} | ${to}`;
}

describe('RFC 6121 Appendix A, one case per row', () => {
  test.each(ROWS.map((row) => [rowName(row), row] as const))('%s', (_name, row) => {
    const before = stateFromName(row.from);
    const result = transition(before, row.direction, row.type);
    const expectedName = row.to === NSC ? row.from : row.to;
    expect(stateName(result.state)).toBe(expectedName);
    expect(result.forward).toBe(row.forward);
    expect(result.rosterPush).toBe(row.push);
    expect(result.autoReply).toBe(row.autoReply);
    expect(result.presence).toBe(row.presence);
    expect(result.state.approved).toBe(row.approved ?? false);
    expect(result.changed).toBe(row.to !== NSC || row.approved === true);
    expect(result.rule).toContain(row.section);
  });

  test('the rows cover every state, direction and stanza type exactly once', () => {
    const keys = new Set(ROWS.map((row) => `${row.direction}/${row.type}/${row.from}`));
    expect(ROWS).toHaveLength(72);
    expect(keys.size).toBe(72);
    expect(DEFINED_STATES).toHaveLength(9);
  });
});

describe('subscription pre-approval (RFC 6121 §3.4)', () => {
  const approvable: [DefinedStateName, DefinedStateName][] = [['None', 'From'], ['None + Pending Out', 'From + Pending Out'], ['To', 'Both']];

  test.each(approvable)('§3.4: inbound subscribe in pre-approved "%s" is answered by the server and becomes "%s"', (from, to) => {
    const result = transition(stateFromName(from, true), 'inbound', 'subscribe');
    expect(stateName(result.state)).toBe(to);
    expect(result.forward).toBe(false);
    expect(result.autoReply).toBe('subscribed');
    expect(result.presence).toBe('available');
    expect(result.rosterPush).toBe(true);
    expect(result.state.approved).toBe(false);
    expect(result.rule).toContain('pre-approved');
  });

  test.each(approvable.map(([from]) => from))('§3.4: outbound subscribed when "%s" is already pre-approved changes nothing', (from) => {
    const result = transition(stateFromName(from, true), 'outbound', 'subscribed');
    expect(result).toMatchObject({ forward: false, rosterPush: false, changed: false });
    expect(result.state.approved).toBe(true);
  });

  test.each(approvable.map(([from]) => from))('§3.2.2/§3.4: outbound unsubscribed cancels the pre-approval of "%s" without routing', (from) => {
    const result = transition(stateFromName(from, true), 'outbound', 'unsubscribed');
    expect(result).toMatchObject({ forward: false, rosterPush: true, changed: true });
    expect(result.state.approved).toBe(false);
    expect(stateName(result.state)).toBe(from);
  });

  test('A.3.3: an approval received while pre-approved keeps the pre-approval in "To"', () => {
    const result = transition(stateFromName('None + Pending Out', true), 'inbound', 'subscribed');
    expect(stateName(result.state)).toBe('To');
    expect(result.state.approved).toBe(true);
  });

  test('A.2.4: denying a pending request changes state without a roster push', () => {
    const result = transition(stateFromName('None + Pending In'), 'outbound', 'unsubscribed');
    expect(result).toMatchObject({ changed: true, rosterPush: false, forward: true });
    expect(result.state.pendingIn).toBe(false);
  });
});

describe('wire representation of states', () => {
  test.each([
    ['None', 'none', undefined, false],
    ['None + Pending Out', 'none', 'subscribe', false],
    ['None + Pending In', 'none', undefined, true],
    ['None + Pending Out+In', 'none', 'subscribe', true],
    ['To', 'to', undefined, false],
    ['To + Pending In', 'to', undefined, true],
    ['From', 'from', undefined, false],
    ['From + Pending Out', 'from', 'subscribe', false],
    ['Both', 'both', undefined, false],
  ] as const)('"%s" is subscription=%s ask=%s pendingIn=%s', (name, subscription, ask, pendingIn) => {
    const state = stateFromName(name);
    expect(state).toEqual({ subscription, ask, pendingIn, approved: false });
    expect(stateName(state)).toBe(name);
  });

  test('flags no defined state carries are dropped', () => {
    expect(subscriptionState('both', { ask: 'subscribe', pendingIn: true, approved: true }))
      .toEqual({ subscription: 'both', ask: undefined, pendingIn: false, approved: false });
    expect(subscriptionState('to', { ask: 'subscribe' }).ask).toBeUndefined();
    expect(subscriptionState('from', { pendingIn: true }).pendingIn).toBe(false);
    expect(subscriptionState('none', { pendingIn: true, approved: true }).approved).toBe(false);
    expect(subscriptionState('to', { approved: true }).approved).toBe(true);
  });
});
