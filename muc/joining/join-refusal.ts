/**
 * Error presences for a refused entry or nickname change. XEP-0045 §7.2.1–§7.2.10 and §7.6 show
 * every such error carrying `<x xmlns='http://jabber.org/protocol/muc'/>`, and clients rely on it:
 * slixmpp's `join_muc_wait` recognises a join error only by that child, so without it a refusal
 * (a `muc_http_auth` veto, a locked room, a ban, …) reaches the application as a timeout. The
 * error is answered here, once, instead of by the router, which knows nothing of MUC.
 */
import { Element } from 'ltx';
import { StanzaError } from '../../server/errors/index.js';
import type { StanzaEvent } from '../../server/hooks/index.js';
import { NS, errorReply } from '../../server/xml/index.js';
import type { MucEngine } from '../muc-engine.js';

type Outcome = true | StanzaError;

/** The error presence for `event`'s stanza, with the MUC `<x/>` before the `<error/>`. */
export function refusalPresence(stanza: Element, error: StanzaError): Element | undefined {
  const reply = errorReply(stanza, error);
  if (reply === undefined) return undefined;
  // An empty <x/>: the join's own child may hold the room password, which is not echoed.
  const x = new Element('x', { xmlns: NS.muc });
  x.parent = reply;
  reply.children.unshift(x);
  return reply;
}

function settle(engine: MucEngine, event: StanzaEvent, outcome: Outcome): true {
  if (outcome === true) return true;
  const reply = refusalPresence(event.stanza, outcome);
  if (reply !== undefined) engine.ctx.sendParsed(reply, event.to, event.from);
  return true;
}

/**
 * Sends the error of a join or nickname change as the XEP's error presence. A failure of the
 * handler itself is logged and refused with `internal-server-error` in the same shape (fail closed).
 */
export function answerRefusal(engine: MucEngine, event: StanzaEvent, outcome: Outcome | Promise<Outcome>): true | Promise<true> {
  if (!(outcome instanceof Promise)) return settle(engine, event, outcome);
  return outcome.then(
    (settled) => settle(engine, event, settled),
    (error: unknown) => {
      engine.ctx.logger.error({ err: error, room: event.to.bare().toString() }, 'entering a room failed');
      return settle(engine, event, StanzaError.cancel('internal-server-error', { by: event.to.bare().toString() }));
    },
  );
}
