/**
 * Raw-XML steps for the MUC protocol tests: log users in, join rooms, read `muc#user` items and
 * status codes, and wait for stanzas that arrived after a given point.
 */
import type { Element } from 'ltx';
import type { RawClient } from './raw-client.js';
import { rawLogin } from './raw-login.js';

export const MUC = 'http://jabber.org/protocol/muc';
export const MUC_USER = 'http://jabber.org/protocol/muc#user';
export const MUC_ADMIN = 'http://jabber.org/protocol/muc#admin';
export const MUC_OWNER = 'http://jabber.org/protocol/muc#owner';
export const STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
export const SERVICE = 'conference.localhost';

let counter = 0;

export function nextId(prefix = 'm'): string {
  counter += 1;
  return `${prefix}${counter}`;
}

/** Accounts `<name>@localhost` with password `<name>-secret`. */
export function users(...names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [`${name}@localhost`, `${name}-secret`]));
}

export function login(port: number, user: string, resource = 'r'): Promise<RawClient> {
  return rawLogin(port, `${user}@localhost`, `${user}-secret`, resource);
}

export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;');
}

export interface JoinOptions {
  password?: string;
  /** Attributes of `<history/>`, e.g. `maxstanzas='2'`. */
  history?: string;
  id?: string;
  /** Omit the `<x xmlns='…muc'/>` (a client unaware of MUC). */
  bare?: boolean;
  extra?: string;
}

/** The join presence for `room@conference.localhost/nick`. */
export function joinStanza(room: string, nick: string, options: JoinOptions = {}): string {
  const id = options.id === undefined ? '' : ` id='${options.id}'`;
  const password = options.password === undefined ? '' : `<password>${xmlEscape(options.password)}</password>`;
  const history = options.history === undefined ? '' : `<history ${options.history}/>`;
  const x = options.bare === true ? '' : `<x xmlns='${MUC}'>${password}${history}</x>`;
  return `<presence to='${room}@${SERVICE}/${xmlEscape(nick)}'${id}>${x}${options.extra ?? ''}</presence>`;
}

export function mucX(el: Element): Element | undefined {
  return el.getChild('x', MUC_USER);
}

export function statusCodes(el: Element): number[] {
  return (mucX(el)?.getChildren('status') ?? []).map((status) => Number(status.attrs.code));
}

export function item(el: Element): Element | undefined {
  return mucX(el)?.getChild('item');
}

export function errorCondition(el: Element): string | undefined {
  const error = el.getChild('error');
  const condition = error?.children.find((child): child is Element => typeof child !== 'string' && child.attrs.xmlns === STANZAS && child.name !== 'text');
  return condition?.name;
}

export function isSelfPresence(el: Element): boolean {
  return el.name === 'presence' && statusCodes(el).includes(110);
}

/** Joins and resolves with the self-presence (or the error presence). */
export async function join(client: RawClient, room: string, nick: string, options: JoinOptions = {}): Promise<Element> {
  const seen = client.received.length;
  client.send(joinStanza(room, nick, options));
  return client.waitFor((el) => el.name === 'presence' && (isSelfPresence(el) || el.attrs.type === 'error') && String(el.attrs.from).startsWith(`${room}@${SERVICE}/`), 3000, seen);
}

/** Joins, failing the test unless the join succeeds; also waits for the subject (end of the join). */
export async function enter(client: RawClient, room: string, nick: string, options: JoinOptions = {}): Promise<Element> {
  const seen = client.received.length;
  const self = await join(client, room, nick, options);
  if (self.attrs.type === 'error') throw new Error(`join refused: ${self.toString()}`);
  await client.waitFor((el) => el.name === 'message' && el.getChild('subject') !== undefined && el.getChild('body') === undefined, 3000, seen);
  return self;
}

/** Sends an iq built around a fresh id and resolves with its answer. */
export async function ask(client: RawClient, build: (id: string) => string, timeoutMs = 3000): Promise<Element> {
  const id = nextId('q');
  const seen = client.received.length;
  client.send(build(id));
  return client.waitFor((el) => el.name === 'iq' && el.attrs.id === id && (el.attrs.type === 'result' || el.attrs.type === 'error'), timeoutMs, seen);
}

/** Creates an unlocked (instant) room with `client` as owner under `nick`. */
export async function createInstantRoom(client: RawClient, room: string, nick: string): Promise<void> {
  await enter(client, room, nick);
  const reply = await ask(client, (id) => `<iq type='set' id='${id}' to='${room}@${SERVICE}'><query xmlns='${MUC_OWNER}'><x xmlns='jabber:x:data' type='submit'/></query></iq>`);
  if (reply.attrs.type !== 'result') throw new Error(`instant room refused: ${reply.toString()}`);
}

/** Submits a configuration form with the given `muc#roomconfig_*` values. */
export function configure(client: RawClient, room: string, fields: Record<string, string | string[]>): Promise<Element> {
  const body = Object.entries(fields).map(([name, value]) => {
    const values = (Array.isArray(value) ? value : [value]).map((v) => `<value>${xmlEscape(v)}</value>`).join('');
    return `<field var='${name}'>${values}</field>`;
  }).join('');
  return ask(client, (id) => `<iq type='set' id='${id}' to='${room}@${SERVICE}'><query xmlns='${MUC_OWNER}'><x xmlns='jabber:x:data' type='submit'>`
    + `<field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#roomconfig</value></field>${body}</x></query></iq>`);
}

/** Stanzas received since index `from`. */
export function since(client: RawClient, from: number): Element[] {
  return client.received.slice(from);
}

/** A ping to the server: everything sent to the client before the answer has arrived. */
export async function sync(client: RawClient): Promise<void> {
  const reply = await ask(client, (id) => `<iq type='get' id='${id}' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`);
  if (reply.attrs.type !== 'result') throw new Error(`ping failed: ${reply.toString()}`);
}
