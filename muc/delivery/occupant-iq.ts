/**
 * iq addressed to occupant JIDs (XEP-0045 §7.5 note, as Prosody does): requests between occupants
 * travel from the requester's occupant JID to the target's primary session (vCard requests to the
 * target's bare JID, where the user's server answers). The forwarded id carries the requester's
 * nick, the original id and a keyed tag of the requesting session, so the response finds its way
 * back without per-request state and without revealing real JIDs. A ping to one's own occupant
 * JID is answered by the room itself (XEP-0410 self-ping).
 */
import { Element, clone } from 'ltx';
import { StanzaError } from '../../server/errors/index.js';
import type { StanzaEvent } from '../../server/hooks/index.js';
import { NS, iqResult } from '../../server/xml/index.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import type { MucEngine } from '../muc-engine.js';
import { MUC_NS } from '../muc-ns.js';
import { occupantAt } from '../joining/nick-rules.js';
import { sendElement } from './shared-stanza.js';
import type { RoomOccupant } from '../rooms/room-occupant.js';

type Outcome = true | StanzaError;

interface RoutedId {
  readonly nick: string;
  readonly id: string;
  readonly tag: string;
}

function encodeId(routed: RoutedId): string {
  return Buffer.from(JSON.stringify([routed.nick, routed.id, routed.tag]), 'utf8').toString('base64url');
}

function decodeId(text: string): RoutedId | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 3 || !value.every((part) => typeof part === 'string')) return undefined;
    const [nick, id, tag] = value as [string, string, string];
    return { nick, id, tag };
  } catch {
    // Not an id this room made (the payload is not JSON): the response is dropped by the caller.
    return undefined;
  }
}

function copyIq(stanza: Element, attrs: Record<string, string>): Element {
  const iq = new Element('iq', attrs);
  for (const child of stanza.children) if (typeof child !== 'string') iq.cnode(clone(child));
  return iq;
}

function forwardRequest(engine: MucEngine, sender: RoomOccupant, target: RoomOccupant, event: StanzaEvent): Outcome {
  const { stanza } = event;
  const id = encodeId({ nick: sender.nick, id: String(stanza.attrs.id ?? ''), tag: engine.ids.tag(event.from.toString()) });
  const attrs = { from: sender.jid.toString(), type: String(stanza.attrs.type), id };
  const payload = stanza.getChildElements()[0];
  if (payload?.attrs.xmlns === MUC_NS.vcard) {
    engine.send(copyIq(stanza, { ...attrs, to: target.bareJid.toString() }));
    return true;
  }
  // XEP-0191 §3.5: a request the target's inbound guards refuse (it blocks the room or the
  // sender) is answered as an absent entity would be; iq requests must be answered (RFC 6120
  // §8.2.3). A guard still loading its list decides later, and a refusal then goes unanswered.
  if (sendElement(target.primary, copyIq(stanza, attrs)) === false) return StanzaError.cancel('service-unavailable');
  return true;
}

function handleRequest(engine: MucEngine, room: ChatRoom, event: StanzaEvent): Outcome {
  const sender = room.occupantBySession(event.from);
  const target = occupantAt(room, event.to.resource);
  const isPing = event.stanza.getChild('ping', NS.ping) !== undefined;
  // XEP-0410 §3: the room answers a session pinging its own occupant JID.
  if (isPing && sender !== undefined && sender === target) {
    engine.send(iqResult(event.stanza));
    return true;
  }
  if (sender === undefined) return StanzaError.modify('not-acceptable', { text: 'You are not in this room', by: room.address });
  if (target === undefined) return StanzaError.cancel('item-not-found', { text: 'No such occupant', by: room.address });
  return forwardRequest(engine, sender, target, event);
}

/** A response to a forwarded request goes to the session that asked, from the responder's occupant JID. */
function routeResponse(engine: MucEngine, room: ChatRoom, event: StanzaEvent): true {
  const routed = decodeId(String(event.stanza.attrs.id ?? ''));
  const requester = occupantAt(room, event.to.resource);
  if (routed === undefined || requester === undefined || requester.nick !== routed.nick) return true;
  const session = [...requester.sessions.values()].find((candidate) => engine.ids.tag(candidate.jid.toString()) === routed.tag);
  const responder = room.occupantBySession(event.from) ?? room.occupantsOf(event.from)[0];
  if (session === undefined || responder === undefined) return true;
  sendElement(session, copyIq(event.stanza, { from: responder.jid.toString(), type: String(event.stanza.attrs.type), id: routed.id }));
  return true;
}

function handleOccupantIq(engine: MucEngine, event: StanzaEvent): Outcome {
  const room = engine.rooms.get(event.to);
  const type = event.stanza.attrs.type;
  if (type === 'result' || type === 'error') return room === undefined ? true : routeResponse(engine, room, event);
  if (room === undefined) return StanzaError.cancel('item-not-found', { text: 'No such room', by: engine.domain });
  return handleRequest(engine, room, event);
}

/** Hooks iq routing to occupant JIDs and the fallback for requests to rooms. */
export function registerOccupantIq(engine: MucEngine): void {
  engine.ctx.hook('iq/full', (event) => handleOccupantIq(engine, event));
  engine.ctx.hook('iq/bare', ({ stanza, to }) => {
    // Responses to anything the room itself asked: nothing is waiting for them.
    if (stanza.attrs.type === 'result' || stanza.attrs.type === 'error') return true;
    // Requests the room does not support fall through to <service-unavailable/>.
    return engine.rooms.get(to) === undefined ? StanzaError.cancel('item-not-found', { text: 'No such room', by: engine.domain }) : undefined;
  });
}
