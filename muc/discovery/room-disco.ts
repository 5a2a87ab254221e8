/**
 * `muc/discovery/`: what the service and its rooms say in service discovery (XEP-0030). This
 * file answers disco queries to a room, `room-info.ts` builds its identity, features and
 * `muc#roominfo` form, and `service-disco.ts` describes the service itself.
 *
 * Service discovery of a room (XEP-0045 §6.4 #disco-roominfo, §6.5 #disco-roomitems, §7.12
 * #reservednick): disco#info with the `muc_*` features and the `muc#roominfo` form; disco#items
 * empty (occupant lists are not disclosed, §6.5 allows it); the `x-roomuser-item` node tells a user
 * its registered nickname. A room that does not exist is <item-not-found/>.
 */
import { Element } from 'ltx';
import { StanzaError } from '../../server/errors/index.js';
import type { StanzaEvent } from '../../server/hooks/index.js';
import { NS, iqResult } from '../../server/xml/index.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import type { MucEngine } from '../muc-engine.js';
import { ROOM_USER_ITEM_NODE } from '../muc-ns.js';
import { roomDiscoInfo } from './room-info.js';

type Outcome = true | StanzaError;

function roomInfo(engine: MucEngine, room: ChatRoom): Element {
  const owners = [...room.affiliationEntries()].filter(([, affiliation]) => affiliation === 'owner').map(([jid]) => jid);
  const info = roomDiscoInfo(room.config, {
    occupants: room.occupantCount,
    ...(room.subject !== undefined ? { subject: room.subject.text } : {}),
    ...(room.config.whois === 'anyone' ? { contactJids: owners } : {}),
  }, room.jid.local);
  // §7.10: rooms take registrations (jabber:iq:register); muc_mam adds the archive's features,
  // other modules theirs (engine.roomFeatures).
  const form = info.getChild('x', NS.dataForms);
  const added = [...engine.roomFeatures].flatMap((source) => source(room));
  const features = [NS.register, ...engine.archiving?.features(room) ?? [], ...added].map((name) => new Element('feature', { var: name }));
  if (form === undefined) for (const feature of features) info.cnode(feature);
  else info.children.splice(info.children.indexOf(form), 0, ...features);
  return info;
}

/** §7.12: the registered nickname as an identity of node `x-roomuser-item`. */
function reservedNickInfo(room: ChatRoom, event: StanzaEvent): Element {
  const query = new Element('query', { xmlns: NS.discoInfo, node: ROOM_USER_ITEM_NODE });
  const nick = room.reservedNick(event.from);
  if (nick !== undefined) query.c('identity', { category: 'conference', type: 'text', name: nick });
  return query;
}

function handleInfo(engine: MucEngine, event: StanzaEvent): Outcome {
  const room = engine.rooms.get(event.to);
  if (room === undefined) return StanzaError.cancel('item-not-found', { text: 'No such room', by: engine.domain });
  const node = event.stanza.getChild('query', NS.discoInfo)?.attrs.node as string | undefined;
  if (node !== undefined && node !== ROOM_USER_ITEM_NODE) return StanzaError.cancel('item-not-found', { by: room.address });
  engine.send(iqResult(event.stanza, node === undefined ? roomInfo(engine, room) : reservedNickInfo(room, event)));
  return true;
}

function handleItems(engine: MucEngine, event: StanzaEvent): Outcome {
  const room = engine.rooms.get(event.to);
  if (room === undefined) return StanzaError.cancel('item-not-found', { text: 'No such room', by: engine.domain });
  engine.send(iqResult(event.stanza, new Element('query', { xmlns: NS.discoItems })));
  return true;
}

/** Hooks disco#info and disco#items of rooms. */
export function registerRoomDisco(engine: MucEngine): void {
  engine.ctx.hook('iq-get/bare/http://jabber.org/protocol/disco#info:query', (event) => handleInfo(engine, event));
  engine.ctx.hook('iq-get/bare/http://jabber.org/protocol/disco#items:query', (event) => handleItems(engine, event));
}
