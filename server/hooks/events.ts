/**
 * Every hook point of the core, declared once with its payload type.
 *
 * Feature folders (muc/, roster/, http/) declare their own hook points in one file each by
 * augmenting this interface (TypeScript declaration merging), so the core never imports them.
 */
import type { Element } from 'ltx';
import type { Jid } from '../jid/index.js';
import type { OutboundXml, Session } from '../session/index.js';
import type { Host } from '../host/index.js';
import type { StreamError } from '../errors/index.js';

export type StanzaKind = 'message' | 'presence' | 'iq';
export type AddressKind = 'host' | 'bare' | 'full';

/** A stanza being delivered on a host; `from` and `to` are parsed once, by the router. */
export interface StanzaEvent {
  readonly stanza: Element;
  readonly from: Jid;
  readonly to: Jid;
  /** The local client session it came from; undefined for stanzas the server generated. */
  readonly origin: Session | undefined;
  readonly host: Host;
}

/**
 * A stanza a service writes straight to a session it chose itself (a MUC room's fan-out, private
 * messages, self-presence), fired on the recipient's host before the bytes are written: the
 * recipient's inbound guards (blocking, privacy) see it here, as they see routed stanzas in the
 * host's stanza events. The stanza is usually serialised once for all its recipients; `element()`
 * parses this recipient's copy only for a handler that needs more than the addresses.
 */
export interface DeliveryEvent {
  readonly host: Host;
  readonly recipient: Session;
  /** The recipient's full JID: the stanza's `to`. */
  readonly to: Jid;
  /** The stanza's `from`; undefined only if the service wrote none (a bug). */
  readonly from: Jid | undefined;
  readonly name: string;
  readonly type: string | undefined;
  /** The bytes that will be written to the recipient. */
  readonly xml: OutboundXml;
  /** The stanza as an element addressed to the recipient: a new copy on every call. */
  element(): Element;
}

export interface StreamFeaturesEvent {
  /** The `<stream:features/>` element being built; handlers append children. */
  readonly features: Element;
  readonly host: Host;
  readonly authenticated: boolean;
  readonly secure: boolean;
}

/**
 * Stanza delivery on the host named by `to` (Prosody's `message/bare`, `iq/full`, …).
 * Return `true` when handled or a `StanzaError` to have the router answer with it.
 * Unhandled stanzas fall back to RFC 6121 §8 rules.
 */
export type StanzaEventName = `${StanzaKind}/${AddressKind}`;
type StanzaEvents = { readonly [K in StanzaEventName]: StanzaEvent };

export interface HookEvents extends StanzaEvents {
  /** `iq-get/host/urn:xmpp:ping:ping`: iq requests by type, address kind and payload `ns:name`. */
  [event: `iq-get/host/${string}`]: StanzaEvent;
  [event: `iq-get/bare/${string}`]: StanzaEvent;
  [event: `iq-get/full/${string}`]: StanzaEvent;
  [event: `iq-set/host/${string}`]: StanzaEvent;
  [event: `iq-set/bare/${string}`]: StanzaEvent;
  [event: `iq-set/full/${string}`]: StanzaEvent;
  /**
   * A client sent presence without `to` (RFC 6121 §4.2, §4.4, §4.5): broadcast to its contacts.
   * The session's `presence` and `priority` are already updated when this fires.
   */
  'presence/broadcast': StanzaEvent;
  /** Before routing: every stanza a local client sends, on the sender's host (can veto). */
  'pre-stanza': StanzaEvent;
  /**
   * Before routing: every stanza the server generates (`origin` undefined: automatic replies,
   * presence sent on a user's behalf, error bounces), on the host of its `from` (can veto; a veto
   * drops it, nobody is answered). The server-side counterpart of `pre-stanza`.
   */
  'outbound-stanza': StanzaEvent;
  /**
   * The recipient's inbound guards for a stanza written straight to a session (see
   * `DeliveryEvent`). `true` or a `StanzaError` drops it silently: the sender is a service that
   * already chose this recipient, and an error bounced to a room would read as the occupant's.
   * A handler that takes the stanza (a test's delay) writes it later with `deliverAgain`.
   */
  'deliver-stanza': DeliveryEvent;
  /**
   * A message a service writes straight to sessions it chose of one account (a MUC private
   * message, XEP-0045 §7.5), fired once per message on the recipient's host before its copies
   * take `deliver-stanza`: what the routed way does once per account in `message/full` happens
   * here. Inbound guards may stop it (`true` or an error drops it silently, as in
   * `deliver-stanza`); the user's archive keeps it and stamps `stanza` with its id, which every
   * copy then carries. `stanza` is the copy being delivered, `to` the first chosen session's
   * full JID, `origin` undefined (the service wrote the copy); `original` is the stanza the
   * service received from the sender, under which the sender's host may have work in flight
   * (its archive write, which delivery waits for as on the routed way).
   */
  'deliver-message': StanzaEvent & { readonly original: Element };
  /** Stream features offered to a client stream on this host. */
  'stream-features': StreamFeaturesEvent;
  /**
   * A bound client sent a top-level element outside `jabber:client` (a "nonza": XEP-0352's
   * `<active/>`, …). A handler that understands it returns `true`; unhandled, it closes the
   * stream with `unsupported-stanza-type` (RFC 6120 §4.9.3.22).
   */
  'stream-nonza': { readonly session: Session; readonly element: Element; readonly host: Host };
  /** A session bound a resource (after any conflicting older session was replaced). */
  'resource-bind': { readonly session: Session; readonly host: Host };
  /**
   * A bound session ended (clean close, error or socket loss). `undeliveredReported` settles once
   * stream management has handed the stanzas the client never acknowledged to `delivery-failure`:
   * a module reporting more of the session's stanzas there waits for it, so they stay in order.
   */
  'resource-unbind': {
    readonly session: Session; readonly host: Host; readonly error: StreamError | undefined;
    readonly undeliveredReported?: Promise<void>;
  };
  /**
   * A resumable session lost its connection (XEP-0198 §5): it stays bound and keeps its presence,
   * queueing what it is sent, until its client resumes it or its hibernation ends (`resource-unbind`).
   */
  'session-hibernated': { readonly session: Session; readonly host: Host };
  /** A session was resumed on a new stream (XEP-0198 §5); it is the same `Session` object. */
  'session-resumed': { readonly session: Session; readonly host: Host };
  /** A user authenticated (before binding). */
  'authentication-success': { readonly username: string; readonly host: Host; readonly mechanism: string };
  'authentication-failure': { readonly username: string | undefined; readonly host: Host; readonly mechanism: string; readonly condition: string };
  /** Account lifecycle (CLI, registration, admin API). */
  'user-created': { readonly username: string; readonly host: Host };
  'user-deleted': { readonly username: string; readonly host: Host };
  'user-password-changed': { readonly username: string; readonly host: Host };
  /**
   * A stanza written to a session whose client never acknowledged it, once the session has ended
   * for good (XEP-0198: a hibernated session expired, or a stream closed with stanzas unacked);
   * also a message held for an inactive client (XEP-0352) and never written.
   * A handler that keeps it (offline storage, the message is in the archive) returns `true`;
   * stream management bounces unhandled messages and iq requests to their sender.
   */
  'delivery-failure': { readonly session: Session; readonly stanza: Element; readonly host: Host };
  /** The server is about to stop: modules flush state. */
  'server-stopping': { readonly host: Host };
}
