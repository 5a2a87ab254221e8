/**
 * The setting of the MUC plugins' acceptance scenarios (spec §4): users on `example.com` (and
 * `other.example`), the MUC service `rooms.example.net`, real clients on loopback.
 */
import type { Element } from 'ltx';
import { Component, VirtualHost, type HostInput } from '../../salon.js';
import type { MucService } from '../../muc/index.js';
import type { RawClient } from './raw-client.js';
import { rawLogin } from './raw-login.js';
import { startTestServer, type TestServer } from './test-server.js';
import { ask, errorCondition, MUC, MUC_OWNER, statusCodes, xmlEscape } from './muc-harness.js';

export { ask, errorCondition, item, mucX, statusCodes, MUC_ADMIN, MUC_USER } from './muc-harness.js';

export const SERVICE = 'rooms.example.net';
export const USER_HOST = 'example.com';

/** Accounts with password `<local>-pw`. */
export function accounts(...jids: string[]): Record<string, string> {
  return Object.fromEntries(jids.map((jid) => [jid, `${jid.split('@')[0]}-pw`]));
}

/** A server with the user hosts `example.com` and `other.example` and the MUC service. */
export function startMucServer(mucOptions: Record<string, unknown>, users: Record<string, string>, extraHosts: HostInput[] = []): Promise<TestServer> {
  return startTestServer({
    hosts: [VirtualHost(USER_HOST), VirtualHost('other.example'), Component(SERVICE, 'muc', mucOptions), ...extraHosts],
    users,
  });
}

/** Logs `jid` in with resource `resource` (password `<local>-pw`). */
export function connect(server: TestServer, jid: string, resource: string): Promise<RawClient> {
  return rawLogin(server.port, jid, `${jid.split('@')[0]}-pw`, resource);
}

export function mucService(server: TestServer, service = SERVICE): MucService {
  return server.muc(service);
}

/** Nicknames currently in `room` (a node of `rooms.example.net`). */
export function nicksIn(server: TestServer, room: string): string[] {
  const occupants = mucService(server).occupants(`${room}@${SERVICE}`);
  return occupants.ok ? occupants.value.map((occupant) => occupant.nick) : [];
}

export interface JoinOptions {
  readonly id?: string;
  readonly password?: string;
  readonly service?: string;
}

/** Sends a join presence and resolves with the self-presence or the error presence. */
export function join(client: RawClient, room: string, nick: string, options: JoinOptions = {}, timeoutMs = 5000): Promise<Element> {
  const service = options.service ?? SERVICE;
  const seen = client.received.length;
  const id = options.id === undefined ? '' : ` id='${options.id}'`;
  const password = options.password === undefined ? '' : `<password>${xmlEscape(options.password)}</password>`;
  client.send(`<presence to='${room}@${service}/${xmlEscape(nick)}'${id}><x xmlns='${MUC}'>${password}</x></presence>`);
  return client.waitFor((el) => el.name === 'presence' && String(el.attrs.from).startsWith(`${room}@${service}/`)
    && (el.attrs.type === 'error' || (el.attrs.type === undefined && statusCodes(el).includes(110))), timeoutMs, seen);
}

/** Joins and fails the test unless the join succeeds. */
export async function enter(client: RawClient, room: string, nick: string, options: JoinOptions = {}): Promise<Element> {
  const self = await join(client, room, nick, options);
  if (self.attrs.type === 'error') throw new Error(`join refused: ${self.toString()}`);
  return self;
}

/** Creates an unlocked (instant) room owned by `client`. */
export async function createInstantRoom(client: RawClient, room: string, nick: string): Promise<void> {
  await enter(client, room, nick);
  const reply = await ask(client, (id) => `<iq type='set' id='${id}' to='${room}@${SERVICE}'><query xmlns='${MUC_OWNER}'><x xmlns='jabber:x:data' type='submit'/></query></iq>`);
  if (reply.attrs.type !== 'result') throw new Error(`instant room refused: ${reply.toString()}`);
}

export function discoInfo(client: RawClient, room: string): Promise<Element> {
  return ask(client, (id) => `<iq type='get' id='${id}' to='${room}@${SERVICE}'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`);
}

/** A ping to the user's server: everything sent to the client before the answer has arrived. */
export async function sync(client: RawClient): Promise<void> {
  const reply = await ask(client, (id) => `<iq type='get' id='${id}' to='${USER_HOST}'><ping xmlns='urn:xmpp:ping'/></iq>`);
  if (reply.attrs.type !== 'result') throw new Error(`ping failed: ${reply.toString()}`);
}

/** Whether `el` is an `auth`/`not-authorized` error from the service. */
export function isNotAuthorized(el: Element): boolean {
  return el.attrs.type === 'error' && errorCondition(el) === 'not-authorized' && el.getChild('error')?.attrs.type === 'auth';
}

/** Log lines of a level (pino numbers: 30 info, 40 warn, 50 error) whose message mentions `text`. */
export function logsWith(server: TestServer, level: number, text: string): Record<string, unknown>[] {
  return server.logs.filter((line) => line.level === level && JSON.stringify(line).includes(text));
}
