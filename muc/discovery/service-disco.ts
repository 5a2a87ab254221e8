/**
 * Service discovery of the MUC service itself (XEP-0045 §6.1, §6.2, §6.3): identity
 * conference/text and the MUC feature, through the host's disco registry (so the core's disco
 * module answers disco#info with only what is loaded), and disco#items listing the public rooms
 * (locked rooms are not listed until configured).
 */
import { Element } from 'ltx';
import { Priority } from '../../server/hooks/index.js';
import { NS, iqResult } from '../../server/xml/index.js';
import type { MucEngine } from '../muc-engine.js';
import { roomDisplayName } from './room-info.js';

function publicRooms(engine: MucEngine): Element {
  const query = new Element('query', { xmlns: NS.discoItems });
  for (const room of engine.rooms.all()) {
    if (!room.config.publicroom || room.locked) continue;
    query.c('item', { jid: room.address, name: roomDisplayName(room.config, room.jid.local) });
  }
  return query;
}

/** Declares the service's identity and feature and lists its public rooms. */
export function registerServiceDisco(engine: MucEngine): void {
  const { ctx } = engine;
  ctx.addIdentity({ category: 'conference', type: 'text', name: 'Chatrooms' });
  ctx.addFeature(NS.muc);
  // Ahead of the core disco module, which lists only static items.
  ctx.hook('iq-get/host/http://jabber.org/protocol/disco#items:query', ({ stanza }) => {
    if (stanza.getChild('query', NS.discoItems)?.attrs.node !== undefined) return undefined;
    ctx.send(iqResult(stanza, publicRooms(engine)));
    return true;
  }, Priority.Policy);
}
