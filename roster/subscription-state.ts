/**
 * The presence subscription state machine of RFC 6121 Appendix A, with subscription
 * pre-approval (RFC 6121 §3.4). The rules themselves are data, in `subscription-table.ts`;
 * this file names the states, maps them to the wire and applies one rule.
 *
 * Everything is seen from the roster owner's server: "the user" owns the roster, "the contact"
 * is the roster item. `outbound` stanzas were sent by the user to the contact, `inbound` ones
 * arrived from the contact for the user.
 */
import { SUBSCRIPTION_TABLE, type TableRow } from './subscription-table.js';

/** The `subscription` attribute of a roster item (RFC 6121 §2.1.2.5). */
export type Subscription = 'none' | 'to' | 'from' | 'both';

/** The four presence types that manage subscriptions (RFC 6121 §3). */
export type SubscriptionStanzaType = 'subscribe' | 'subscribed' | 'unsubscribe' | 'unsubscribed';

/** `outbound`: sent by the user to the contact (A.2); `inbound`: from the contact to the user (A.3). */
export type SubscriptionDirection = 'outbound' | 'inbound';

/** The nine states of RFC 6121 §A.1, spelled as the RFC spells them. */
export type DefinedStateName =
  | 'None' | 'None + Pending Out' | 'None + Pending In' | 'None + Pending Out+In'
  | 'To' | 'To + Pending In' | 'From' | 'From + Pending Out' | 'Both';

/** Every defined state, in the order of the RFC's tables. */
export const DEFINED_STATES: readonly DefinedStateName[] = [
  'None', 'None + Pending Out', 'None + Pending In', 'None + Pending Out+In',
  'To', 'To + Pending In', 'From', 'From + Pending Out', 'Both',
];

/**
 * The subscription state of one contact in the user's roster.
 * `subscription` and `ask` are what the wire shows (RFC 6121 §2.1.2.2, §2.1.2.5);
 * `pendingIn` (the contact asked and the user has not answered) never reaches the wire;
 * `approved` is the pre-approval flag of RFC 6121 §3.4.
 */
export interface SubscriptionState {
  readonly subscription: Subscription;
  /** Pending out: the user asked the contact and has no answer yet. */
  readonly ask: 'subscribe' | undefined;
  readonly pendingIn: boolean;
  readonly approved: boolean;
}

/** What the server does with one subscription stanza. */
export interface TransitionResult {
  /** The state after the stanza (the same values when nothing changed). */
  readonly state: SubscriptionState;
  /** Anything changed, the non-wire `pendingIn` included: the roster must be saved. */
  readonly changed: boolean;
  /**
   * Outbound: route the stanza to the contact. Inbound: deliver it to the user's available
   * resources (or keep it for the next login). False: drop it silently.
   */
  readonly forward: boolean;
  /** The wire view of the item changed: push it to the user's interested resources. */
  readonly rosterPush: boolean;
  /** A presence stanza of this type the server sends from the user's bare JID to the contact. */
  readonly autoReply: 'subscribed' | 'unsubscribed' | undefined;
  /**
   * Presence the server sends from each of the user's available resources to the contact:
   * `available` = their current presence (the contact may now see it), `unavailable` = sent
   * before the stanza is forwarded, while the contact may still receive it (RFC 6121 §3.2.2).
   */
  readonly presence: 'available' | 'unavailable' | undefined;
  /** The rule applied, e.g. `A.2.1 "None"` or `A.3.1 "None" (pre-approved, §3.4)`. */
  readonly rule: string;
}

/** Wire fields for each defined state. */
const STATE_FIELDS: Record<DefinedStateName, { subscription: Subscription; pendingOut: boolean; pendingIn: boolean }> = {
  'None': { subscription: 'none', pendingOut: false, pendingIn: false },
  'None + Pending Out': { subscription: 'none', pendingOut: true, pendingIn: false },
  'None + Pending In': { subscription: 'none', pendingOut: false, pendingIn: true },
  'None + Pending Out+In': { subscription: 'none', pendingOut: true, pendingIn: true },
  'To': { subscription: 'to', pendingOut: false, pendingIn: false },
  'To + Pending In': { subscription: 'to', pendingOut: false, pendingIn: true },
  'From': { subscription: 'from', pendingOut: false, pendingIn: false },
  'From + Pending Out': { subscription: 'from', pendingOut: true, pendingIn: false },
  'Both': { subscription: 'both', pendingOut: false, pendingIn: false },
};

/** The state with this RFC name; `approved` is kept only where §3.4 allows a pre-approval. */
export function stateFromName(name: DefinedStateName, approved = false): SubscriptionState {
  const fields = STATE_FIELDS[name];
  return subscriptionState(fields.subscription, {
    ask: fields.pendingOut ? 'subscribe' : undefined,
    pendingIn: fields.pendingIn,
    approved,
  });
}

/**
 * Builds a state from stored or wire values, dropping flags no defined state carries:
 * `ask` once the user is subscribed (to/both), `pendingIn` once the contact is (from/both), and
 * `approved` outside None, None + Pending Out and To (RFC 6121 §3.4.2: only there does a
 * pre-approval mean anything).
 */
export function subscriptionState(
  subscription: Subscription,
  flags: { ask?: 'subscribe' | undefined; pendingIn?: boolean | undefined; approved?: boolean | undefined } = {},
): SubscriptionState {
  const hasTo = subscription === 'to' || subscription === 'both';
  const hasFrom = subscription === 'from' || subscription === 'both';
  const pendingIn = !hasFrom && flags.pendingIn === true;
  return {
    subscription,
    ask: !hasTo && flags.ask === 'subscribe' ? 'subscribe' : undefined,
    pendingIn,
    approved: !hasFrom && !pendingIn && flags.approved === true,
  };
}

/** The RFC 6121 §A.1 name of a state (the pre-approval flag is not part of the name). */
export function stateName(state: SubscriptionState): DefinedStateName {
  const out = state.ask === 'subscribe';
  switch (state.subscription) {
    case 'none':
      if (out) return state.pendingIn ? 'None + Pending Out+In' : 'None + Pending Out';
      return state.pendingIn ? 'None + Pending In' : 'None';
    case 'to':
      return state.pendingIn ? 'To + Pending In' : 'To';
    case 'from':
      return out ? 'From + Pending Out' : 'From';
    case 'both':
      return 'Both';
  }
}

/** The user receives the contact's presence. */
export function hasSubscriptionTo(state: SubscriptionState): boolean {
  return state.subscription === 'to' || state.subscription === 'both';
}

/** The contact receives the user's presence. */
export function hasSubscriptionFrom(state: SubscriptionState): boolean {
  return state.subscription === 'from' || state.subscription === 'both';
}

/** Applies RFC 6121 Appendix A (and §3.4 pre-approval) to one subscription stanza. */
export function transition(state: SubscriptionState, direction: SubscriptionDirection, type: SubscriptionStanzaType): TransitionResult {
  const name = stateName(state);
  const section = SUBSCRIPTION_TABLE[direction][type];
  const base: TableRow = section.rows[name];
  // RFC 6121 §3.4: a pre-approved contact's rows differ (only A.3.1 has such rows).
  const row = state.approved && base.whenApproved !== undefined ? base.whenApproved : base;
  const nextName = row.next ?? name;
  const approved = row.approved ?? state.approved;
  const next = stateFromName(nextName, approved);
  const rosterPush = next.subscription !== state.subscription || next.ask !== state.ask || next.approved !== state.approved;
  return {
    state: next,
    changed: rosterPush || next.pendingIn !== state.pendingIn,
    forward: row.forward,
    rosterPush,
    autoReply: row.autoReply,
    presence: row.presence,
    rule: `${section.id} "${name}"${row.note === undefined ? '' : ` (${row.note})`}`,
  };
}
