/**
 * Every hook point of the core, declared once with its payload type.
 *
 * Feature folders (muc/, roster/, http/) declare their own hook points in one file each by
 * augmenting this interface (TypeScript declaration merging), so the core never imports them.
 */
import type { Element } from 'ltx';
import type { Jid } from '../jid/index.js';
import type { Session } from '../session/session.js';
import type { Host } from '../host/host.js';
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
  /** Stream features offered to a client stream on this host. */
  'stream-features': StreamFeaturesEvent;
  /** A session bound a resource (after any conflicting older session was replaced). */
  'resource-bind': { readonly session: Session; readonly host: Host };
  /** A bound session ended (clean close, error or socket loss). */
  'resource-unbind': { readonly session: Session; readonly host: Host; readonly error: StreamError | undefined };
  /** A user authenticated (before binding). */
  'authentication-success': { readonly username: string; readonly host: Host; readonly mechanism: string };
  'authentication-failure': { readonly username: string | undefined; readonly host: Host; readonly mechanism: string; readonly condition: string };
  /** Account lifecycle (CLI, registration, admin API). */
  'user-created': { readonly username: string; readonly host: Host };
  'user-deleted': { readonly username: string; readonly host: Host };
  'user-password-changed': { readonly username: string; readonly host: Host };
  /** The server is about to stop: modules flush state. */
  'server-stopping': { readonly host: Host };
}
