/**
 * RFC 6121 Appendix A as data: for each direction and stanza type, one row per defined state.
 * A row gives the new state (absent: "no state change"), whether the stanza is routed (A.2) or
 * delivered (A.3), and what the server sends on its own. Pre-approval (RFC 6121 §3.4) is folded
 * into the rows of None, None + Pending Out and To.
 */
import type { DefinedStateName, SubscriptionDirection, SubscriptionStanzaType } from './subscription-state.js';

export interface TableRow {
  /** The new state; absent means "no state change". */
  readonly next?: DefinedStateName;
  /** A.2 "route?" / A.3 "deliver?". */
  readonly forward: boolean;
  readonly autoReply?: 'subscribed' | 'unsubscribed';
  readonly presence?: 'available' | 'unavailable';
  /** Sets (true) or clears (false) the pre-approval flag. */
  readonly approved?: boolean;
  /** The row that applies instead when the contact is pre-approved. */
  readonly whenApproved?: TableRow;
  /** Why the row differs from the bare table, shown in `TransitionResult.rule`. */
  readonly note?: string;
}

export interface TableSection {
  /** The RFC 6121 section of the table, e.g. `A.2.1`. */
  readonly id: string;
  readonly rows: Readonly<Record<DefinedStateName, TableRow>>;
}

const ROUTE: TableRow = { forward: true };
const DROP: TableRow = { forward: false };

/**
 * RFC 6121 §3.4.2: a `subscribed` the user sends while no request from the contact is pending
 * is a pre-approval: noted (and pushed), never routed.
 */
const PRE_APPROVE: TableRow = { forward: false, approved: true, note: 'pre-approval, §3.4.2' };

/**
 * RFC 6121 §3.2.2 with §3.4: an `unsubscribed` that finds no subscription and no pending
 * request cancels any pre-approval and is not routed.
 */
const CANCEL_PRE_APPROVAL: TableRow = { forward: false, approved: false, note: 'cancels any pre-approval, §3.4' };

/** RFC 6121 §3.2.2: unavailable presence goes to the contact before the cancellation does. */
function cancelFrom(next: DefinedStateName): TableRow {
  return { next, forward: true, presence: 'unavailable' };
}

/** RFC 6121 §3.1.5: approval is routed, then the user's current presence follows it. */
function approve(next: DefinedStateName): TableRow {
  return { next, forward: true, presence: 'available' };
}

/**
 * RFC 6121 §3.4 (processing by the user's server of the contact's later request): a pre-approved
 * request is answered by the server, not delivered, and the subscription takes effect at once.
 */
function subscribeOrAutoApprove(next: DefinedStateName, approvedNext: DefinedStateName): TableRow {
  return {
    next,
    forward: true,
    whenApproved: {
      next: approvedNext, forward: false, autoReply: 'subscribed', presence: 'available', approved: false,
      note: 'pre-approved, §3.4',
    },
  };
}

/** RFC 6121 §3.1.3: the contact already has a subscription: answer for the user, do not deliver. */
const ALREADY_SUBSCRIBED: TableRow = { forward: false, autoReply: 'subscribed', presence: 'available' };

/** A.3.2 rows marked "*": delivered, and the server answers `unsubscribed` for the user. */
function unsubscribeAck(next: DefinedStateName, hadFrom: boolean): TableRow {
  // RFC 6121 §3.3.3: the contact loses the user's presence, so it gets unavailable from each resource.
  return hadFrom
    ? { next, forward: true, autoReply: 'unsubscribed', presence: 'unavailable' }
    : { next, forward: true, autoReply: 'unsubscribed' };
}

/** The user's server processing outbound subscription stanzas (RFC 6121 §A.2). */
const OUTBOUND: Record<SubscriptionStanzaType, TableSection> = {
  // A.2.1: every subscribe is routed, even without a state change, so that a contact whose
  // server lost the subscription can answer it again (RFC 6121 §3.1.2).
  subscribe: { id: 'A.2.1', rows: {
    'None': { next: 'None + Pending Out', forward: true },
    'None + Pending Out': ROUTE,
    'None + Pending In': { next: 'None + Pending Out+In', forward: true },
    'None + Pending Out+In': ROUTE,
    'To': ROUTE,
    'To + Pending In': ROUTE,
    'From': { next: 'From + Pending Out', forward: true },
    'From + Pending Out': ROUTE,
    'Both': ROUTE,
  } },
  // A.2.2: every unsubscribe is routed (RFC 6121 §3.3.2).
  unsubscribe: { id: 'A.2.2', rows: {
    'None': ROUTE,
    'None + Pending Out': { next: 'None', forward: true },
    'None + Pending In': ROUTE,
    'None + Pending Out+In': { next: 'None + Pending In', forward: true },
    'To': { next: 'None', forward: true },
    'To + Pending In': { next: 'None + Pending In', forward: true },
    'From': ROUTE,
    'From + Pending Out': { next: 'From', forward: true },
    'Both': { next: 'From', forward: true },
  } },
  subscribed: { id: 'A.2.3', rows: {
    'None': PRE_APPROVE,
    'None + Pending Out': PRE_APPROVE,
    'None + Pending In': approve('From'),
    'None + Pending Out+In': approve('From + Pending Out'),
    'To': PRE_APPROVE,
    'To + Pending In': approve('Both'),
    // RFC 6121 §3.4.2: the contact is already subscribed: silently ignored.
    'From': DROP,
    'From + Pending Out': DROP,
    'Both': DROP,
  } },
  unsubscribed: { id: 'A.2.4', rows: {
    'None': CANCEL_PRE_APPROVAL,
    'None + Pending Out': CANCEL_PRE_APPROVAL,
    // Denying a pending request (RFC 6121 §3.1.4 / §3.2.2).
    'None + Pending In': { next: 'None', forward: true },
    'None + Pending Out+In': { next: 'None + Pending Out', forward: true },
    'To': CANCEL_PRE_APPROVAL,
    'To + Pending In': { next: 'To', forward: true },
    'From': cancelFrom('None'),
    'From + Pending Out': cancelFrom('None + Pending Out'),
    'Both': cancelFrom('To'),
  } },
};

/** The contact's server processing inbound subscription stanzas (RFC 6121 §A.3). */
const INBOUND: Record<SubscriptionStanzaType, TableSection> = {
  subscribe: { id: 'A.3.1', rows: {
    'None': subscribeOrAutoApprove('None + Pending In', 'From'),
    'None + Pending Out': subscribeOrAutoApprove('None + Pending Out+In', 'From + Pending Out'),
    // Already pending: one request is kept and delivered (RFC 6121 §3.1.3), not a second one.
    'None + Pending In': DROP,
    'None + Pending Out+In': DROP,
    'To': subscribeOrAutoApprove('To + Pending In', 'Both'),
    'To + Pending In': DROP,
    'From': ALREADY_SUBSCRIBED,
    'From + Pending Out': ALREADY_SUBSCRIBED,
    'Both': ALREADY_SUBSCRIBED,
  } },
  unsubscribe: { id: 'A.3.2', rows: {
    'None': DROP,
    'None + Pending Out': DROP,
    'None + Pending In': unsubscribeAck('None', false),
    'None + Pending Out+In': unsubscribeAck('None + Pending Out', false),
    'To': DROP,
    'To + Pending In': unsubscribeAck('To', false),
    'From': unsubscribeAck('None', true),
    'From + Pending Out': unsubscribeAck('None + Pending Out', true),
    'Both': unsubscribeAck('To', true),
  } },
  // RFC 6121 §3.1.6: an approval the user never asked for is ignored.
  subscribed: { id: 'A.3.3', rows: {
    'None': DROP,
    'None + Pending Out': { next: 'To', forward: true },
    'None + Pending In': DROP,
    'None + Pending Out+In': { next: 'To + Pending In', forward: true },
    'To': DROP,
    'To + Pending In': DROP,
    'From': DROP,
    'From + Pending Out': { next: 'Both', forward: true },
    'Both': DROP,
  } },
  unsubscribed: { id: 'A.3.4', rows: {
    'None': DROP,
    'None + Pending Out': { next: 'None', forward: true },
    'None + Pending In': DROP,
    'None + Pending Out+In': { next: 'None + Pending In', forward: true },
    'To': { next: 'None', forward: true },
    'To + Pending In': { next: 'None + Pending In', forward: true },
    'From': DROP,
    'From + Pending Out': { next: 'From', forward: true },
    'Both': { next: 'From', forward: true },
  } },
};

/** The whole of Appendix A, by direction and stanza type. */
export const SUBSCRIPTION_TABLE: Readonly<Record<SubscriptionDirection, Readonly<Record<SubscriptionStanzaType, TableSection>>>> = {
  outbound: OUTBOUND,
  inbound: INBOUND,
};
