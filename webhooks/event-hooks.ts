/**
 * The hook points that become webhook events, on the module's own host: MUC events where the
 * host is a MUC service, account presence where it is a VirtualHost. Each handler only copies a
 * few strings out of the payload and hands the event to the queue: nothing is serialised, sent
 * or awaited while the stanza that caused it is being handled.
 *
 * `user.online` is an account's first bound resource, `user.offline` its last one ending. A
 * hibernated XEP-0198 session stays bound (only `resource-unbind`, when its hibernation ends,
 * removes it), so an account whose only session hibernates stays online.
 */
import type { Host } from '../server/host/index.js';
import { Priority } from '../server/hooks/index.js';
import type { ModuleContext } from '../server/modules/index.js';
import type { Occupant } from '../muc/index.js';
import type { WebhookEventType } from './event-types.js';
import type { EventData } from './webhook-event.js';
import type { MessageSelection } from './endpoint.js';

/** Takes one event: `room` is the room's bare JID for room events (endpoint filters use it). */
export type Accept = (type: WebhookEventType, room: string | undefined, data: EventData) => void;

// Notifications: after every handler that changes state, so the event describes the result.
const AFTER_STATE = Priority.Fallback;

function occupantData(room: string, occupant: Occupant): Record<string, string> {
  return {
    room, nick: occupant.nick, jid: occupant.bareJid.toString(), role: occupant.role,
    affiliation: occupant.affiliation, occupant_id: occupant.occupantId,
  };
}

export function hookRoomEvents(ctx: ModuleContext, accept: Accept): void {
  ctx.hook('muc-room-created', ({ room, creator }) => {
    const jid = room.jid.toString();
    accept('room.created', jid, { room: jid, creator: creator.bare().toString() });
  }, AFTER_STATE);
  ctx.hook('muc-room-destroyed', ({ room, cause, reason }) => {
    const jid = room.jid.toString();
    accept('room.destroyed', jid, { room: jid, cause, reason });
  }, AFTER_STATE);
  ctx.hook('muc-room-configured', ({ room, changed, actor }) => {
    const jid = room.jid.toString();
    accept('room.configured', jid, { room: jid, changed, actor: actor?.bare().toString() });
  }, AFTER_STATE);
  ctx.hook('muc-occupant-joined', ({ room, occupant, kind }) => {
    // One event per occupant: a second session under the same nick is not a new arrival.
    if (kind !== 'join') return;
    const jid = room.jid.toString();
    accept('occupant.joined', jid, occupantData(jid, occupant));
  }, AFTER_STATE);
  ctx.hook('muc-occupant-left', ({ room, occupant, reason }) => {
    const jid = room.jid.toString();
    accept('occupant.left', jid, { ...occupantData(jid, occupant), reason });
  }, AFTER_STATE);
  ctx.hook('muc-occupant-role-changed', ({ room, occupant, previous, actor }) => {
    const jid = room.jid.toString();
    accept('occupant.role_changed', jid, { ...occupantData(jid, occupant), previous_role: previous, actor: actor?.bare().toString() });
  }, AFTER_STATE);
  ctx.hook('muc-affiliation-changed', ({ room, jid: user, affiliation, previous, actor, reason }) => {
    const jid = room.jid.toString();
    accept('affiliation.changed', jid, {
      room: jid, jid: user.bare().toString(), affiliation, previous_affiliation: previous, actor: actor?.bare().toString(), reason,
    });
  }, AFTER_STATE);
}

/**
 * `message.posted`, hooked only while some room opted in (`http_webhooks_messages`): with a
 * handler on it, the engine snapshots the sender of every groupchat message, which the hot path
 * otherwise skips. `messages` is read at each message, so a reload may change it in place;
 * returns the function that removes the hook (a reload that opts every room out).
 */
export function hookMessageEvents(host: Host, accept: Accept, messages: () => MessageSelection | undefined): () => void {
  return host.hooks.on('muc-message-posted', ({ room, occupant, nick, stanza }) => {
    const jid = room.jid.toString();
    if (messages()?.(jid) !== true) return;
    accept('message.posted', jid, {
      room: jid, nick: occupant?.nick ?? nick, jid: occupant?.bareJid.toString(), occupant_id: occupant?.occupantId,
      id: stanza.attrs.id as string | undefined, body: stanza.getChildText('body') ?? '',
    });
  }, AFTER_STATE);
}

export function hookUserEvents(ctx: ModuleContext, accept: Accept): void {
  ctx.hook('resource-bind', ({ session }) => {
    const account = session.jid.bare();
    // The session is registered before the hook fires: one session means this is the first.
    if (ctx.sessions.ofAccount(account).length !== 1) return;
    accept('user.online', undefined, { jid: account.toString(), resource: session.jid.resource });
  }, AFTER_STATE);
  ctx.hook('resource-unbind', ({ session }) => {
    const account = session.jid.bare();
    // The session has left the registry when the hook fires: none left means the account is offline.
    if (ctx.sessions.ofAccount(account).length !== 0) return;
    accept('user.offline', undefined, { jid: account.toString(), resource: session.jid.resource });
  }, AFTER_STATE);
}
