/**
 * Raw-XML steps shared by the roster, presence, offline and blocking protocol tests: log in,
 * ask and wait for the answer, read roster items, wait for presence from someone.
 */
import type { Element } from 'ltx';
import type { RawClient } from './raw-client.js';
import { rawLogin } from './raw-login.js';

export const ROSTER = 'jabber:iq:roster';
export const BLOCKING = 'urn:xmpp:blocking';
export const STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';

let counter = 0;

/** A unique stanza id. */
export function nextId(prefix = 'q'): string {
  counter += 1;
  return `${prefix}${counter}`;
}

/** Logs `user` (local part at localhost, password `<user>-secret`) in with `resource`. */
export function login(port: number, user: string, resource: string): Promise<RawClient> {
  return rawLogin(port, `${user}@localhost`, `${user}-secret`, resource);
}

/** Sends an iq built around `id` and resolves with the answer carrying that id. */
export async function ask(client: RawClient, build: (id: string) => string, timeoutMs = 3000): Promise<Element> {
  const id = nextId();
  const seen = client.received.length;
  client.send(build(id));
  return client.waitFor((el) => el.name === 'iq' && el.attrs.id === id && (el.attrs.type === 'result' || el.attrs.type === 'error'), timeoutMs, seen);
}

/** A ping round trip: everything the server sent this client before answering has arrived. */
export async function sync(client: RawClient): Promise<void> {
  const reply = await ask(client, (id) => `<iq type='get' id='${id}' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`);
  if (reply.attrs.type !== 'result') throw new Error(`ping failed: ${reply.toString()}`);
}

/** Roster get, optionally with a `ver`. */
export function getRoster(client: RawClient, ver?: string): Promise<Element> {
  const attr = ver === undefined ? '' : ` ver='${ver}'`;
  return ask(client, (id) => `<iq type='get' id='${id}'><query xmlns='${ROSTER}'${attr}/></iq>`);
}

export interface ItemView {
  subscription: string | undefined;
  ask: string | undefined;
  name: string | undefined;
  groups: string[];
}

/** The items of a roster result or push, by JID. */
export function itemsOf(iq: Element): Map<string, ItemView> {
  const result = new Map<string, ItemView>();
  for (const item of iq.getChild('query', ROSTER)?.getChildren('item') ?? []) {
    result.set(String(item.attrs.jid), {
      subscription: item.attrs.subscription as string | undefined,
      ask: item.attrs.ask as string | undefined,
      name: item.attrs.name as string | undefined,
      groups: item.getChildren('group').map((g) => g.getText()),
    });
  }
  return result;
}

/** A roster push about `jid` with this subscription (and `ask`, when given). */
export function isPush(jid: string, subscription: string, ask?: string): (el: Element) => boolean {
  return (el) => {
    if (el.name !== 'iq' || el.attrs.type !== 'set') return false;
    const item = itemsOf(el).get(jid);
    return item !== undefined && item.subscription === subscription && (ask === undefined || item.ask === ask);
  };
}

/** Presence from `from` (full or bare, compared by prefix when `from` is bare) of `type` (undefined: available). */
export function isPresence(from: string, type?: string): (el: Element) => boolean {
  return (el) => {
    if (el.name !== 'presence' || el.attrs.type !== type) return false;
    const sender = String(el.attrs.from ?? '');
    return from.includes('/') ? sender === from : sender === from || sender.startsWith(`${from}/`);
  };
}

/** The defined condition of an error stanza. */
export function errorCondition(el: Element): string | undefined {
  const error = el.getChild('error');
  return error?.children.find((c): c is Element => typeof c !== 'string' && c.attrs.xmlns === STANZAS && c.name !== 'text')?.name;
}

/** Answers roster pushes as RFC 6121 §2.1.6 asks clients to. */
export function answerPush(client: RawClient, push: Element): void {
  client.send(`<iq type='result' id='${String(push.attrs.id)}'/>`);
}

/** Presence of `type` from `from` (exact `from`). */
export function isSubscriptionStanza(type: string, from: string): (el: Element) => boolean {
  return (el) => el.name === 'presence' && el.attrs.type === type && el.attrs.from === from;
}

/**
 * The full handshake both ways between two available, interested resources of `aUser` and
 * `bUser` (at localhost); resolves once both have the `both` push.
 */
export async function befriend(a: RawClient, aUser: string, b: RawClient, bUser: string): Promise<void> {
  const aJid = `${aUser}@localhost`;
  const bJid = `${bUser}@localhost`;
  const seenA = a.received.length;
  const seenB = b.received.length;
  a.send(`<presence to='${bJid}' type='subscribe'/>`);
  await b.waitFor(isSubscriptionStanza('subscribe', aJid), 3000, seenB);
  b.send(`<presence to='${aJid}' type='subscribed'/>`);
  b.send(`<presence to='${aJid}' type='subscribe'/>`);
  await a.waitFor(isSubscriptionStanza('subscribe', bJid), 3000, seenA);
  a.send(`<presence to='${bJid}' type='subscribed'/>`);
  await a.waitFor(isPush(bJid, 'both'), 3000, seenA);
  await b.waitFor(isPush(aJid, 'both'), 3000, seenB);
}
