/**
 * The Blocking Command protocol (XEP-0191 §3.2 – §3.4): blocklist retrieval, block and unblock,
 * pushes to the resources that asked for the list, and the presence that follows a change.
 */
import { randomBytes } from 'node:crypto';
import { Element } from 'ltx';
import { StanzaError } from '../server/errors/index.js';
import type { StanzaEvent } from '../server/hooks/index.js';
import { parseJid, type Jid } from '../server/jid/index.js';
import type { ModuleContext } from '../server/modules/index.js';
import type { Session } from '../server/session/index.js';
import { iqResult } from '../server/xml/index.js';
import { availableSessionsOf, sendCurrentPresence } from './account-presence.js';
import { blockingPushElement, blocklistElement, isBlocked, parseBlockingCommand, type BlockingCommand } from './blocklist.js';
import type { BlocklistChange, BlocklistService } from './blocklist-service.js';
import { typedPresence } from './presence-stanzas.js';
import { rosterServiceKey } from './roster-service.js';

export interface BlocklistProtocol {
  readonly ctx: ModuleContext<unknown>;
  readonly service: BlocklistService;
  /** Sessions that retrieved the blocklist: they receive pushes (XEP-0191 §3.3). */
  readonly interested: WeakSet<Session>;
}

/** Only the account's own resources manage its blocklist. */
function ownSession(event: StanzaEvent): Session | undefined {
  return event.from.bare().equals(event.to.bare()) ? event.origin : undefined;
}

/** XEP-0191 §3.2: the blocklist; the asking resource becomes interested in pushes. */
export async function answerBlocklistGet(protocol: BlocklistProtocol, event: StanzaEvent): Promise<true | StanzaError> {
  const session = ownSession(event);
  if (session === undefined) return StanzaError.cancel('service-unavailable');
  const list = await protocol.service.blocklist(event.to.bare());
  protocol.interested.add(session);
  session.send(iqResult(event.stanza, blocklistElement(list)));
  return true;
}

/** XEP-0191 §3.3, §3.4: block or unblock, then pushes and presence. */
export async function answerBlockingSet(protocol: BlocklistProtocol, event: StanzaEvent): Promise<true | StanzaError> {
  const session = ownSession(event);
  const payload = event.stanza.children.find((child): child is Element => typeof child !== 'string');
  if (session === undefined || payload === undefined) return StanzaError.cancel('service-unavailable');
  const command = parseBlockingCommand(payload);
  if (!command.ok) return command.error;
  const user = event.to.bare();
  const change = await protocol.service.apply(user, command.value);
  if (!change.ok) return change.error;
  session.send(iqResult(event.stanza));
  if (change.value.changed.length === 0) return true;
  pushChange(protocol, user, pushedCommand(command.value, change.value));
  if (command.value.action === 'block') await withdrawFromBlocked(protocol.ctx, user, change.value);
  else await restoreToUnblocked(protocol.ctx, user, change.value);
  return true;
}

/** An unblock-all is pushed as it was sent, without items (§3.4); otherwise the JIDs that changed. */
function pushedCommand(command: BlockingCommand, change: BlocklistChange): BlockingCommand {
  if (command.action === 'unblock' && command.jids.length === 0) return command;
  return { action: command.action, jids: change.changed };
}

let pushCount = 0;
const pushPrefix = `block-${randomBytes(4).toString('hex')}-`;

function pushChange(protocol: BlocklistProtocol, user: Jid, command: BlockingCommand): void {
  const iq = new Element('iq', { type: 'set', id: '' });
  iq.cnode(blockingPushElement(command));
  for (const session of protocol.ctx.sessions.ofAccount(user)) {
    if (!protocol.interested.has(session) || session.closed) continue;
    iq.attrs.id = `${pushPrefix}${(pushCount++).toString(36)}`;
    iq.attrs.to = session.jid.toString();
    session.send(iq);
  }
}

/**
 * XEP-0191 §3.3: a newly blocked entity that had the user's presence (a subscribed contact, or a
 * target of directed presence) gets unavailable presence from each available resource.
 */
async function withdrawFromBlocked(ctx: ModuleContext<unknown>, user: Jid, change: BlocklistChange): Promise<void> {
  const subscribers = (await ctx.service(rosterServiceKey)?.subscribers(user)) ?? [];
  const newlyBlocked = (jid: Jid): boolean => isBlocked(change.after, jid) && !isBlocked(change.before, jid);
  const contacts = subscribers.filter(newlyBlocked).map(String);
  for (const session of availableSessionsOf(ctx, user)) {
    const targets = new Set(contacts);
    for (const directed of session.directedPresence) if (isBlockedTarget(directed, newlyBlocked)) targets.add(directed);
    for (const target of targets) ctx.send(typedPresence('unavailable', session.jid.toString(), target));
  }
}

function isBlockedTarget(target: string, newlyBlocked: (jid: Jid) => boolean): boolean {
  const jid = parseJid(target);
  return jid.ok && newlyBlocked(jid.value);
}

/**
 * Once unblocked, subscribed contacts get the user's current presence again and the contacts the
 * user is subscribed to are probed, so that both sides see each other as if never blocked.
 */
async function restoreToUnblocked(ctx: ModuleContext<unknown>, user: Jid, change: BlocklistChange): Promise<void> {
  const roster = ctx.service(rosterServiceKey);
  if (roster === undefined) return;
  const unblocked = (jid: Jid): boolean => isBlocked(change.before, jid) && !isBlocked(change.after, jid);
  for (const contact of (await roster.subscribers(user)).filter(unblocked)) sendCurrentPresence(ctx, user, contact.toString());
  for (const contact of (await roster.subscriptions(user)).filter(unblocked)) ctx.send(typedPresence('probe', user.toString(), contact.toString()));
}
