/**
 * The router decides where a stanza goes (DESIGN.md §1, RFC 6120 §10, RFC 6121 §8): it finds the
 * host named by `to`, fires that host's stanza hooks, and applies the RFC's default rules when no
 * module handled the stanza. Stanzas from clients arrive with parsed JIDs and are not parsed
 * again; only stanzas the server generates through `send` (and error replies) have their
 * addresses parsed here. A server-generated stanza first passes `outbound-stanza` on the host of
 * its `from`, as a client's passes `pre-stanza`.
 *
 * The delivery rule: every stanza written to a session has passed the recipient host's inbound
 * guards, either here (the host's stanza events) or, for a service's direct fan-out, in
 * `deliverDirect` (`deliver-stanza`).
 */
import type { Element } from 'ltx';
import { StanzaError } from '../errors/index.js';
import { isPromise, type HookOutcome, type StanzaEvent, type AddressKind } from '../hooks/index.js';
import type { Host } from '../host/index.js';
import { type Jid, parseJid } from '../jid/index.js';
import type { Logger } from '../log/index.js';
import type { Session, SessionLocator } from '../session/index.js';
import type { ServerStats } from '../stats/index.js';
import { errorReply } from '../xml/index.js';
import { availableSessions, deliverableSessions, highestPrioritySessions } from './delivery-rules.js';
import type { HostDirectory } from './host-directory.js';

export type MaybePromise<T> = T | Promise<T>;

function addressKind(to: Jid): AddressKind {
  if (to.local === '') return 'host';
  return to.resource === '' ? 'bare' : 'full';
}

/** `iq-get/bare/jabber:iq:roster:query`: the payload-specific event name of an iq request. */
function iqEventName(stanza: Element, type: 'get' | 'set', kind: AddressKind): `iq-${'get' | 'set'}/${AddressKind}/${string}` | undefined {
  const payload = stanza.children.find((c): c is Element => typeof c !== 'string');
  if (payload === undefined) return undefined;
  return `iq-${type}/${kind}/${(payload.attrs.xmlns as string | undefined) ?? ''}:${payload.name}`;
}

export class Router {
  readonly #hosts: HostDirectory;
  readonly #sessions: SessionLocator;
  readonly #logger: Logger;
  /** Counts the error replies generated here (`salon_router__errors_total`). */
  readonly #stats: ServerStats;

  constructor(hosts: HostDirectory, sessions: SessionLocator, logger: Logger, stats: ServerStats) {
    this.#hosts = hosts;
    this.#sessions = sessions;
    this.#logger = logger;
    this.#stats = stats;
  }

  /**
   * Routes a stanza the server itself generated. Its `from` and `to` must be valid JIDs (a bug
   * otherwise: logged and dropped).
   */
  send(stanza: Element): MaybePromise<void> {
    const to = parseJid(String(stanza.attrs.to ?? ''));
    // A reply to a client stanza that had no `to` carries no `from` (RFC 6120 §8.1.2.1): it comes
    // from the client's own account.
    const from = stanza.attrs.from === undefined && to.ok ? { ok: true as const, value: to.value.bare() } : parseJid(String(stanza.attrs.from ?? ''));
    if (!from.ok || !to.ok) {
      this.#logger.error({ stanza: stanza.toString() }, 'server generated a stanza with an invalid address');
      return;
    }
    return this.route(stanza, from.value, to.value, undefined);
  }

  /** Routes a stanza with parsed addresses; `origin` is the client session that sent it, if any. */
  route(stanza: Element, from: Jid, to: Jid, origin: Session | undefined): MaybePromise<void> {
    if (origin === undefined) {
      const sender = this.#hosts.host(from.domain);
      if (sender !== undefined && sender.hooks.has('outbound-stanza')) {
        const veto = sender.hooks.fire('outbound-stanza', { stanza, from, to, origin, host: sender });
        if (isPromise(veto)) return veto.then((v) => (v === undefined ? this.#routeOnHost(stanza, from, to, origin) : undefined));
        if (veto !== undefined) return;
      }
    }
    return this.#routeOnHost(stanza, from, to, origin);
  }

  #routeOnHost(stanza: Element, from: Jid, to: Jid, origin: Session | undefined): MaybePromise<void> {
    const host = this.#hosts.host(to.domain);
    if (host === undefined) return this.#reply(stanza, StanzaError.cancel('remote-server-not-found'));
    const event: StanzaEvent = { stanza, from, to, origin, host };
    const kind = addressKind(to);
    const outcome = this.#fire(host, event, kind);
    if (isPromise(outcome)) return outcome.then((o) => this.#settle(event, kind, o));
    return this.#settle(event, kind, outcome);
  }

  /** Answers `original` with an error, routed back to its sender. */
  replyError(original: Element, error: StanzaError): MaybePromise<void> {
    return this.#reply(original, error);
  }

  #fire(host: Host, event: StanzaEvent, kind: AddressKind): HookOutcome | Promise<HookOutcome> {
    const name = event.stanza.name;
    if (name === 'iq') {
      const type = event.stanza.attrs.type;
      if (type === 'get' || type === 'set') {
        const specific = iqEventName(event.stanza, type, kind);
        if (specific !== undefined && host.hooks.has(specific)) {
          const outcome = host.hooks.fire(specific, event);
          if (isPromise(outcome)) return outcome.then((o) => (o !== undefined ? o : host.hooks.fire(`iq/${kind}`, event)));
          if (outcome !== undefined) return outcome;
        }
      }
      return host.hooks.fire(`iq/${kind}`, event);
    }
    return host.hooks.fire(name === 'message' ? `message/${kind}` : `presence/${kind}`, event);
  }

  #settle(event: StanzaEvent, kind: AddressKind, outcome: HookOutcome): MaybePromise<void> {
    if (outcome === true) return;
    // A veto of an iq result or error, or of an error stanza, is dropped in #reply: RFC 6120
    // §8.2.3 and §8.3.1 forbid answering those, whichever hook refused them.
    if (outcome instanceof StanzaError) return this.#reply(event.stanza, outcome);
    return this.#fallback(event, kind);
  }

  /** RFC 6121 §8 defaults for stanzas no module handled. */
  #fallback(event: StanzaEvent, kind: AddressKind): MaybePromise<void> {
    const { stanza, host } = event;
    const type = stanza.attrs.type as string | undefined;
    if (kind === 'host' || host.kind !== 'user') {
      // §8.4 / XEP-0030: an unhandled request to a server or component is not supported.
      if (stanza.name === 'iq' && (type === 'get' || type === 'set')) return this.#reply(stanza, StanzaError.cancel('service-unavailable'));
      return;
    }
    if (kind === 'full') return this.#toFullJid(event);
    return this.#toBareJid(event);
  }

  /** §8.5.3: a full JID of a local account. */
  #toFullJid(event: StanzaEvent): MaybePromise<void> {
    const { stanza, to } = event;
    const session = this.#sessions.get(to);
    if (session !== undefined && !session.closed) {
      session.send(stanza);
      return;
    }
    const type = stanza.attrs.type as string | undefined;
    if (stanza.name === 'message') {
      // §8.5.3.2.1: normal and chat are treated as if addressed to the bare JID; groupchat bounces; headline is dropped.
      if (type === 'groupchat') return this.#reply(stanza, StanzaError.cancel('service-unavailable'));
      if (type === 'headline' || type === 'error') return;
      return this.#routeOnHost(stanza, event.from, to.bare(), event.origin);
    }
    // §8.5.3.2.2: iq to an unavailable resource bounces; presence is silently ignored (§8.5.3.2.3).
    if (stanza.name === 'iq' && (type === 'get' || type === 'set')) return this.#reply(stanza, StanzaError.cancel('service-unavailable'));
  }

  /** §8.5.2: the bare JID of a local account. */
  #toBareJid(event: StanzaEvent): MaybePromise<void> {
    const { stanza, to } = event;
    const type = stanza.attrs.type as string | undefined;
    const sessions = this.#sessions.ofAccount(to);
    if (stanza.name === 'iq') {
      // §8.5.2.1.3 / §8.5.2.2.3: the server answers iq requests on the account's behalf.
      if (type === 'get' || type === 'set') return this.#reply(stanza, StanzaError.cancel('service-unavailable'));
      return;
    }
    if (stanza.name === 'presence') {
      for (const session of availableSessions(sessions)) session.send(stanza);
      return;
    }
    const recipients = type === 'headline' ? deliverableSessions(sessions) : type === 'groupchat' ? [] : highestPrioritySessions(sessions);
    if (recipients.length > 0) {
      for (const session of recipients) session.send(stanza);
      return;
    }
    // §8.5.2.2.1: nobody available and no module stored it.
    if (type === 'groupchat') return this.#reply(stanza, StanzaError.cancel('service-unavailable'));
    if (type === 'headline' || type === 'error') return;
    return this.#reply(stanza, StanzaError.cancel('service-unavailable'));
  }

  #reply(original: Element, error: StanzaError): MaybePromise<void> {
    const reply = errorReply(original, error);
    if (reply === undefined) return;
    this.#stats.routingError(error.condition);
    const to = parseJid(String(reply.attrs.to ?? ''));
    if (!to.ok) return;
    const fromText = reply.attrs.from as string | undefined;
    const from = fromText === undefined ? undefined : parseJid(fromText);
    if (from === undefined || !from.ok) {
      // The original had no `to` (RFC 6120 §8.1.1.1: addressed to the sender's own account), so the
      // reply carries no `from` either; logically it comes from the account itself.
      return this.route(reply, to.value.bare(), to.value, undefined);
    }
    return this.route(reply, from.value, to.value, undefined);
  }
}
