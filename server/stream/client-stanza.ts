/**
 * A stanza from a bound client: validated, stamped with the session's full JID (a client can not
 * spoof `from`, RFC 6120 §8.1.2.1) and handed to the router. It arrives in canonical form
 * (DESIGN.md §1): `name` is the local name whatever prefix the client wrote, so checking it here
 * and dispatching on it in the router and the hooks agree.
 */
import type { Element } from 'ltx';
import { StanzaError, StreamError } from '../errors/index.js';
import { type Jid, parseJid } from '../jid/index.js';
import { errorReply, iqResult, NS } from '../xml/index.js';
import type { C2sEnvironment } from './c2s-environment.js';
import type { C2sSession } from './c2s-session.js';
import { applyOwnPresence } from './presence-state.js';
import { earlierInput, ordersDeliveries } from './input-release.js';

const IQ_TYPES = new Set(['get', 'set', 'result', 'error']);
const PRESENCE_TYPES = new Set(['unavailable', 'subscribe', 'subscribed', 'unsubscribe', 'unsubscribed', 'probe', 'error']);

interface StreamSide {
  write(xml: string): boolean;
  close(error?: StreamError): void;
}

export function handleClientStanza(
  env: C2sEnvironment,
  session: C2sSession,
  stream: StreamSide,
  stanza: Element,
  uri: string,
  local: string,
): Promise<void> | void {
  if (uri !== NS.client) return handleNonza(env, session, stream, stanza);
  // RFC 6120 §4.9.3.22: only message, presence and iq in the content namespace are stanzas.
  if (local !== 'message' && local !== 'presence' && local !== 'iq') {
    return stream.close(new StreamError('unsupported-stanza-type'));
  }
  env.stats.stanzaIn(local);
  const claimed = stanza.attrs.from as string | undefined;
  if (claimed !== undefined && claimed !== session.jid.toString() && claimed !== session.jid.bare().toString()) {
    const parsed = parseJid(claimed);
    if (!parsed.ok || !(parsed.value.equals(session.jid) || parsed.value.equals(session.jid.bare()))) {
      return stream.close(new StreamError('invalid-from'));
    }
  }
  stanza.attrs.from = session.jid.toString();
  const problem = checkStanza(stanza);
  if (problem !== undefined) return answer(stream, stanza, problem);
  const toText = stanza.attrs.to as string | undefined;
  if (toText === undefined) return routeWithoutTo(env, session, stream, stanza);
  const to = session.parseTo(toText);
  // RFC 6120 §8.3.3.8: an address that does not parse → jid-malformed.
  if (!to.ok) return answer(stream, stanza, StanzaError.modify('jid-malformed'));
  return route(env, session, stanza, to.value);
}

/** A top-level element of another namespace: a module may own it (`stream-nonza`), else a stream error. */
function handleNonza(env: C2sEnvironment, session: C2sSession, stream: StreamSide, element: Element): Promise<void> | void {
  const host = env.userHost(session.jid.domain)!;
  const unsupported = (): void => stream.close(new StreamError('unsupported-stanza-type'));
  if (!host.hooks.has('stream-nonza')) return unsupported();
  const outcome = host.hooks.fire('stream-nonza', { session, element, host });
  if (outcome instanceof Promise) return outcome.then((o) => (o === true ? undefined : unsupported()));
  if (outcome !== true) return unsupported();
}

/** RFC 6120 §8.2.3 and RFC 6121 §4.7.1, §5.2.2: attribute rules the router relies on. */
function checkStanza(stanza: Element): StanzaError | undefined {
  const type = stanza.attrs.type as string | undefined;
  if (stanza.name === 'iq') {
    if (stanza.attrs.id === undefined || stanza.attrs.id === '') return StanzaError.modify('bad-request', { text: 'iq without id' });
    if (type === undefined || !IQ_TYPES.has(type)) return StanzaError.modify('bad-request', { text: 'Invalid iq type' });
    if ((type === 'get' || type === 'set') && elementChildren(stanza) !== 1) {
      return StanzaError.modify('bad-request', { text: 'An iq request carries exactly one payload' });
    }
  } else if (stanza.name === 'presence' && type !== undefined && !PRESENCE_TYPES.has(type)) {
    return StanzaError.modify('bad-request', { text: 'Invalid presence type' });
  }
  return undefined;
}

function elementChildren(stanza: Element): number {
  let count = 0;
  for (const child of stanza.children) if (typeof child !== 'string') count++;
  return count;
}

/** RFC 6120 §8.1.1.1: no `to` means the user's own account; presence without `to` is a broadcast. */
function routeWithoutTo(env: C2sEnvironment, session: C2sSession, stream: StreamSide, stanza: Element): Promise<void> | void {
  const account = session.jid.bare();
  if (stanza.name === 'presence') {
    const type = stanza.attrs.type as string | undefined;
    if (type !== undefined && type !== 'unavailable') return answer(stream, stanza, StanzaError.modify('bad-request', { text: 'A broadcast presence has no type but unavailable' }));
    applyOwnPresence(session, stanza);
    const host = env.userHost(account.domain)!;
    const outcome = host.hooks.fire('presence/broadcast', { stanza, from: session.jid, to: account, origin: session, host });
    if (outcome instanceof Promise) return outcome.then(() => undefined);
    return;
  }
  if (stanza.name === 'iq' && isLegacySession(stanza)) {
    stream.write(iqResult(stanza).toString());
    return;
  }
  return route(env, session, stanza, account);
}

function route(env: C2sEnvironment, session: C2sSession, stanza: Element, to: Jid): Promise<void> | void {
  if (stanza.name === 'iq' && to.isDomain && to.domain === session.jid.domain && isLegacySession(stanza)) {
    env.sessions.get(session.jid)?.send(iqResult(stanza));
    return;
  }
  // A message that started while earlier ones of this stream wait for their archives: unless it
  // goes to an account of a host that delivers it after them (`input-release.ts`), it waits for
  // them before anything of it happens.
  const earlier = stanza.name === 'message' ? earlierInput(session, stanza) : undefined;
  if (earlier !== undefined && !(to.local !== '' && ordersDeliveries(env.userHost(to.domain)))) {
    return earlier.then(() => routeNow(env, session, stanza, to));
  }
  return routeNow(env, session, stanza, to);
}

function routeNow(env: C2sEnvironment, session: C2sSession, stanza: Element, to: Jid): Promise<void> | void {
  const host = env.userHost(session.jid.domain)!;
  const veto = host.hooks.fire('pre-stanza', { stanza, from: session.jid, to, origin: session, host });
  if (veto instanceof Promise) {
    return veto.then((v) => (v === undefined ? env.router.route(stanza, session.jid, to, session) : settleVeto(env, stanza, v)));
  }
  if (veto !== undefined) return settleVeto(env, stanza, veto);
  return env.router.route(stanza, session.jid, to, session);
}

function settleVeto(env: C2sEnvironment, stanza: Element, veto: StanzaError | true | void): Promise<void> | void {
  if (veto instanceof StanzaError) return env.router.replyError(stanza, veto);
}

/** RFC 3921 §3 session establishment: still sent by some clients; a no-op here. */
function isLegacySession(stanza: Element): boolean {
  return stanza.attrs.type === 'set' && stanza.getChild('session', NS.session) !== undefined;
}

function answer(stream: StreamSide, stanza: Element, error: StanzaError): void {
  const reply = errorReply(stanza, error);
  if (reply === undefined) return;
  // The reply goes straight back to this client: it has no other address yet (e.g. no `to`).
  reply.attrs.to = stanza.attrs.from as string;
  if (stanza.attrs.to === undefined) delete reply.attrs.from;
  stream.write(reply.toString());
}
