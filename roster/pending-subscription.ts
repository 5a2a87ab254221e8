/**
 * What is kept of an inbound subscription request until the user answers it (RFC 6121 §3.1.3:
 * the server keeps it and delivers it again at each login), and the bounds on what a user can be
 * made to keep. Only what a client shows is stored — the requester (the roster key), the
 * `<status/>` text and the XEP-0172 nickname, each bounded — never the whole stanza, which could
 * be 256 KiB of anything.
 *
 * A request that would pass `max_pending_subscriptions` or `max_pending_subscription_bytes` is
 * refused with `<resource-constraint/>` of type wait (RFC 6120 §8.3.3.18): the server cannot keep
 * it, and RFC 6121 §3.1.3 does not let it accept a request and then forget it unanswered; the
 * requester learns it was not recorded and may ask again once the user has answered others. A
 * repeated request from a contact already pending changes nothing (§3.1.3) and never counts twice.
 */
import { Element } from 'ltx';
import { StanzaError, err, ok, type Result } from '../server/errors/index.js';
import { NS } from '../server/xml/index.js';
import type { PendingSubscription } from './roster.js';

/** XEP-0172 User Nickname. */
const NICK_NS = 'http://jabber.org/protocol/nick';
/** Characters (code points) of status text kept; a request's text is a line or two. */
export const PENDING_STATUS_MAX_CHARS = 1024;
/** Characters of a nickname kept. */
export const PENDING_NICK_MAX_CHARS = 256;

/** `max_pending_subscriptions`: a normal user has a handful of unanswered requests, not hundreds. */
export const DEFAULT_MAX_PENDING_SUBSCRIPTIONS = 200;
/**
 * `max_pending_subscription_bytes`: 200 requests with a sentence of status each take about
 * 40 KiB; the bound is three times that.
 */
export const DEFAULT_MAX_PENDING_SUBSCRIPTION_BYTES = 128 * 1024;

export interface PendingLimits {
  readonly maxRequests: number;
  readonly maxBytes: number;
}

export const DEFAULT_PENDING_LIMITS: PendingLimits = {
  maxRequests: DEFAULT_MAX_PENDING_SUBSCRIPTIONS,
  maxBytes: DEFAULT_MAX_PENDING_SUBSCRIPTION_BYTES,
};

function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text; // UTF-16 units >= code points: already short enough
  return Array.from(text).slice(0, maxChars).join('');
}

/** A `jabber:client` child of the stanza (canonical form: no `xmlns` of its own, or that one). */
function clientChildText(stanza: Element, name: string): string | undefined {
  const child = stanza.getChildren(name).find((el) => el.attrs.xmlns === undefined || el.attrs.xmlns === NS.client);
  return child?.getText();
}

/** What is kept of a request stanza received at `receivedAt`. */
export function pendingFromStanza(stanza: Element, receivedAt: string): PendingSubscription {
  const pending: PendingSubscription = { receivedAt };
  const status = clientChildText(stanza, 'status');
  if (status !== undefined && status !== '') pending.status = truncate(status, PENDING_STATUS_MAX_CHARS);
  const nick = stanza.getChild('nick', NICK_NS)?.getText();
  if (nick !== undefined && nick !== '') pending.nick = truncate(nick, PENDING_NICK_MAX_CHARS);
  return pending;
}

/** The bytes a kept request counts for: the UTF-8 of what is stored, the requester's JID included. */
export function pendingBytes(jid: string, pending: PendingSubscription): number {
  return Buffer.byteLength(jid) + Buffer.byteLength(pending.receivedAt)
    + Buffer.byteLength(pending.status ?? '') + Buffer.byteLength(pending.nick ?? '');
}

/**
 * Whether `pending` from `jid` may be kept beside the requests already pending. A contact that is
 * already pending replaces nothing here (the caller keeps the first request), so it always may.
 */
export function checkPendingCapacity(
  pendingIn: ReadonlyMap<string, PendingSubscription>, jid: string, pending: PendingSubscription, limits: PendingLimits,
): Result<void, StanzaError> {
  if (pendingIn.has(jid)) return ok(undefined);
  let bytes = pendingBytes(jid, pending);
  for (const [other, request] of pendingIn) bytes += pendingBytes(other, request);
  if (pendingIn.size < limits.maxRequests && bytes <= limits.maxBytes) return ok(undefined);
  return err(StanzaError.wait('resource-constraint', { text: 'The user has too many unanswered subscription requests; try again later' }));
}

/** The request as delivered again: from the contact, to the user, with what was kept (§3.1.3). */
export function requestStanza(contact: string, user: string, pending: PendingSubscription): Element {
  const presence = new Element('presence', { from: contact, to: user, type: 'subscribe' });
  if (pending.status !== undefined) presence.c('status').t(pending.status);
  if (pending.nick !== undefined) presence.c('nick', { xmlns: NICK_NS }).t(pending.nick);
  return presence;
}
