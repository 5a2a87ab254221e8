/**
 * Messages addressed to the service: groupchat to a room (§7.4, §8.1), invitations and declines
 * (§7.8), voice requests and approvals (§7.13, §8.6), bounces from occupants, and private messages
 * to occupant JIDs (§7.5).
 */
import { StanzaError } from '../../server/errors/index.js';
import type { StanzaEvent } from '../../server/hooks/index.js';
import { NS } from '../../server/xml/index.js';
import { removeBouncingSession } from './ghost-bounces.js';
import { handleGroupchat } from './groupchat.js';
import { handleInvitations } from './invitations.js';
import type { MucEngine } from '../muc-engine.js';
import { handlePrivateMessage } from './private-messages.js';
import { handleVoiceForm } from '../moderation/voice-requests.js';

type Outcome = true | StanzaError | Promise<true | StanzaError>;

function handleRoomMessage(engine: MucEngine, event: StanzaEvent): Outcome {
  const { stanza } = event;
  const type = stanza.attrs.type as string | undefined;
  if (type === 'groupchat') return handleGroupchat(engine, event);
  const room = engine.rooms.get(event.to);
  if (type === 'error') {
    const occupant = room?.occupantBySession(event.from);
    if (room !== undefined && occupant !== undefined) removeBouncingSession(engine, room, occupant, event);
    return true;
  }
  if (room === undefined) return StanzaError.cancel('item-not-found', { text: 'No such room', by: engine.domain });
  const userX = stanza.getChild('x', NS.mucUser);
  const handled = userX === undefined ? undefined : handleInvitations(engine, room, event, userX);
  if (handled !== undefined) return handled;
  const form = stanza.getChild('x', NS.dataForms);
  const voice = form === undefined ? undefined : handleVoiceForm(engine, room, event, form);
  if (voice !== undefined) return voice;
  return StanzaError.modify('bad-request', { text: 'Messages to a room are groupchat, invitations or voice requests', by: room.address });
}

/** Hooks message handling on the service: to rooms, to occupants, to the service itself. */
export function registerMessageHandlers(engine: MucEngine): void {
  engine.ctx.hook('message/bare', (event) => handleRoomMessage(engine, event));
  engine.ctx.hook('message/full', (event) => handlePrivateMessage(engine, event));
  engine.ctx.hook('message/host', () => true);
}
