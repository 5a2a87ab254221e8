/**
 * The `muc_moderation` module (the name of Prosody's community module mod_muc_moderation):
 * XEP-0425 Moderated Message Retraction on a MUC service, in version 0.3
 * (`urn:xmpp:message-moderate:1`) and the 0.2 form (`urn:xmpp:message-moderate:0` in
 * `urn:xmpp:fasten:0`) that Conversations, Gajim and slixmpp still send. It needs the room
 * archive (`muc_mam`): the archive gives messages the stanza ids a moderator names and keeps the
 * tombstones. Prosody 0.12 ships no such module; Salon loads it with every `muc` component
 * because the clients people use offer moderation wherever a room advertises it;
 * `modules_disabled = { "muc_moderation" }` on the Component turns it off.
 */
import { defineModule, type ModuleContext } from '../../server/modules/index.js';
import { mucEngineKey } from '../muc-engine.js';
import type { ChatRoom } from '../rooms/chat-room.js';
import { moderateMessage } from './message-moderation.js';
import { MODERATION_NS, parseApplyTo, parseModerate } from './moderation-request.js';

/** The room features: both versions, while the service has an archive to moderate. */
const ROOM_FEATURES: readonly string[] = [MODERATION_NS.moderate, MODERATION_NS.moderateLegacy];

function load(ctx: ModuleContext): void {
  const engine = ctx.service(mucEngineKey);
  if (engine === undefined) {
    ctx.logger.error('muc_moderation needs the muc module loaded before it on the same Component: messages cannot be moderated');
    return;
  }
  const features = (_room: ChatRoom): readonly string[] => (engine.archiving === undefined ? [] : ROOM_FEATURES);
  engine.roomFeatures.add(features);
  ctx.onUnload(() => {
    engine.roomFeatures.delete(features);
  });
  ctx.hook(`iq-set/bare/${MODERATION_NS.moderate}:moderate`, (event) => moderateMessage(engine, event, parseModerate(event.stanza)));
  ctx.hook(`iq-set/bare/${MODERATION_NS.fasten}:apply-to`, (event) => {
    const parsed = parseApplyTo(event.stanza);
    return parsed === undefined ? undefined : moderateMessage(engine, event, parsed);
  });
}

/** The `muc_moderation` module definition, listed in the composition root's module catalog. */
export const mucModerationModule = defineModule({
  name: 'muc_moderation',
  description: 'XEP-0425 message moderation: moderators retract messages for everyone, the room archive keeps a tombstone',
  hostKinds: ['component'],
  componentTypes: ['muc'],
  requires: ['muc'],
  load,
});
