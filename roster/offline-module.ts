/**
 * The `offline` module (Prosody's name; XEP-0160): chat and normal messages for an account with
 * no resource able to take them are kept, then handed to the first resource that sends
 * available presence with a non-negative priority, each with a delay stamp (XEP-0203), and
 * forgotten once handed over.
 *
 * Past `offline_max_messages` messages or `offline_max_bytes` bytes a message is refused as
 * ejabberd refuses it: `<resource-constraint/>` of type wait (RFC 6120 §8.3.3.18: the recipient's
 * server "lacks the system resources necessary to service the request"; trying later, once the
 * user has logged in, may work). Prosody's only bound, `storage_archive_item_limit`, makes the
 * store fail and mod_message answer `<service-unavailable/>`, which also means "no such user"
 * (RFC 6121 §8.5.2.2.1) and would tell the sender nothing.
 */
import { clone, type Element } from 'ltx';
import * as z from 'zod';
import { StanzaError } from '../server/errors/index.js';
import { Priority, type HookEvents, type StanzaEvent } from '../server/hooks/index.js';
import { defineModule, type ModuleContext } from '../server/modules/index.js';
import { highestPrioritySessions } from '../server/router/index.js';
import type { Session } from '../server/session/index.js';
import { NS } from '../server/xml/index.js';
import { delayStamp, withDelay } from './delay.js';
import {
  DEFAULT_OFFLINE_MAX_BYTES, DEFAULT_OFFLINE_MAX_MESSAGES, isChatStateOnly, isStorableType, type OfflineLimits, type OfflineMessage,
} from './offline-queue.js';
import { createOfflineStore, type OfflineStore } from './offline-store.js';
import { parseStoredStanza } from './stored-stanza.js';

export const offlineModule = defineModule({
  name: 'offline',
  description: 'Keeps messages for offline users and delivers them at their next login (XEP-0160, XEP-0203)',
  autoload: true,
  options: {
    offline_max_messages: z.number().int().min(0).max(100_000).default(DEFAULT_OFFLINE_MAX_MESSAGES)
      .describe('Most messages kept for one offline user; later ones are refused.'),
    offline_max_bytes: z.number().int().min(0).max(1024 * 1024 * 1024).default(DEFAULT_OFFLINE_MAX_BYTES)
      .describe('[Salon] Most bytes of stanzas kept for one offline user; a message that would pass it is refused.'),
  },
  load(ctx) {
    ctx.addFeature(NS.offline);
    const store = createOfflineStore({ log: ctx.logStorage<unknown>('offline'), legacy: ctx.storage<unknown>('offline') });
    const limits: OfflineLimits = { maxMessages: ctx.options.offline_max_messages, maxBytes: ctx.options.offline_max_bytes };
    const handedOver = new WeakSet<Session>();
    // Below every other handler: only what nothing else took and no resource can take is kept.
    ctx.hook('message/bare', (event) => keepMessage(ctx, store, limits, event), Priority.Fallback + 1);
    ctx.hook('presence/broadcast', (event) => handOver(ctx, store, handedOver, event), Priority.Fallback);
    ctx.hook('user-deleted', ({ username }) => store.remove(username));
    // XEP-0198: a message a session took but its client never acknowledged before the session ended.
    ctx.hook('delivery-failure', (event) => keepUndelivered(ctx, store, limits, event));
  },
});

type OfflineContext = ModuleContext<{ offline_max_messages: number; offline_max_bytes: number }>;

type Outcome = true | StanzaError | undefined;

type DeliveryFailureEvent = HookEvents['delivery-failure'];

/** Synchronous unless the message must be stored: most messages find a resource online. */
function keepMessage(ctx: OfflineContext, store: OfflineStore, limits: OfflineLimits, event: StanzaEvent): Outcome | Promise<Outcome> {
  // Headline, groupchat and error follow the router's rules (RFC 6121 §8.5.2.2.1).
  if (!isStorableType(event.stanza)) return undefined;
  // A resource can take it now: the router delivers (RFC 6121 §8.5.2.1.1).
  if (highestPrioritySessions(ctx.sessions.ofAccount(event.to)).length > 0) return undefined;
  return storeMessage(ctx, store, limits, event);
}

/** `stamp`: when the server got the message, if earlier than now (XEP-0203). */
async function storeMessage(ctx: OfflineContext, store: OfflineStore, limits: OfflineLimits, event: Pick<StanzaEvent, 'stanza' | 'to'>, stamp = delayStamp()): Promise<Outcome> {
  const { stanza, to } = event;
  // RFC 6121 §8.5.2.2.1 / §8.5.4: no such account.
  if ((await ctx.accounts?.exists(to.local)) !== true) return StanzaError.cancel('service-unavailable');
  // XEP-0085 §5.5: a bare chat state is worth nothing later; dropped without an error.
  if (isChatStateOnly(stanza)) return true;
  const kept = await store.append(to.local, { stanza: stanza.toString(), stamp }, limits);
  if (kept) return true;
  return StanzaError.wait('resource-constraint', { text: "The recipient's offline message queue is full; the message was discarded" });
}

/**
 * An unacknowledged chat or normal message of an ended session goes to the account's other
 * available resources, or is kept as if it had arrived while the account was offline. Copies of
 * what the account already has (carbons, archive results) count as kept.
 */
function keepUndelivered(ctx: OfflineContext, store: OfflineStore, limits: OfflineLimits, event: DeliveryFailureEvent): true | undefined | Promise<true | undefined> {
  const { session, stanza } = event;
  if (stanza.name !== 'message' || !isStorableType(stanza)) return undefined;
  if (stanza.getChild('result', NS.mam) !== undefined || stanza.getChild('sent', NS.carbons) !== undefined || stanza.getChild('received', NS.carbons) !== undefined) return true;
  const others = highestPrioritySessions(ctx.sessions.ofAccount(session.jid.bare())).filter((other) => other !== session);
  if (others.length > 0) {
    for (const other of others) other.send(stanza);
    return true;
  }
  // The delay the session's server side put on it (from the account's bare JID: stream management
  // or CSI) says when it first reached the session; the stored copy keeps that time in the one
  // delay offline storage adds at hand-over, not the time the session ended.
  const { message, stamp } = withoutSessionDelay(stanza, session.jid.bare().toString());
  return storeMessage(ctx, store, limits, { stanza: message, to: session.jid.bare() }, stamp).then((outcome) => (outcome === true ? true : undefined));
}

function withoutSessionDelay(stanza: Element, account: string): { message: Element; stamp: string | undefined } {
  const delay = stanza.getChild('delay', NS.delay);
  const stamp = delay?.attrs.stamp as string | undefined;
  if (delay === undefined || delay.attrs.from !== account || stamp === undefined) return { message: stanza, stamp: undefined };
  const message = clone(stanza);
  const own = message.getChild('delay', NS.delay);
  message.children = message.children.filter((child) => child !== own);
  return { message, stamp };
}

/** The first available presence with priority >= 0 of a session takes the queue (as Prosody does). */
async function handOver(ctx: OfflineContext, store: OfflineStore, handedOver: WeakSet<Session>, event: StanzaEvent): Promise<undefined> {
  const session = event.origin;
  if (session === undefined || session.presence === undefined || session.priority < 0 || handedOver.has(session)) return undefined;
  handedOver.add(session);
  const messages = await store.take(session.jid.local);
  const undelivered: OfflineMessage[] = [];
  for (const message of messages) {
    const stanza = parseStoredStanza(message.stanza);
    if (stanza === undefined) {
      ctx.logger.error({ user: session.jid.bare().toString() }, 'stored offline message is not XML; dropped');
      continue;
    }
    if (!session.send(withDelay(stanza, ctx.host.name, message.stamp))) undelivered.push(message);
  }
  // The session went away meanwhile: what it did not take waits for the next one.
  if (undelivered.length > 0) await store.restore(session.jid.local, undelivered);
  return undefined;
}
