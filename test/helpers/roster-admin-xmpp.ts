/**
 * The XMPP and HTTP side of the http_roster_admin tests (spec §4.3): a server whose user host
 * `example.com` runs the plugin against a `RosterBackend`, raw clients logged in there, and the
 * refresh endpoints called with the right `Host`.
 */
import type { Element } from 'ltx';
import { VirtualHost, type HostInput } from '../../salon.js';
import { send, type HttpReply } from './http-request.js';
import type { RawClient } from './raw-client.js';
import { rawLogin } from './raw-login.js';
import { ask } from './roster-raw.js';
import type { RosterBackend } from './roster-admin-backend.js';
import { startTestServer, type TestServer } from './test-server.js';

export const DOMAIN = 'example.com';
export const OTHER_DOMAIN = 'example.org';

/** The backend's roster for john in every scenario (spec §4.3). */
export const JOHN_ROSTER = {
  'marie@example.com': { name: 'Marie', groups: { Friends: true } },
  'michael@example.com': { name: 'Michael' },
};

const LOCAL_USERS = ['john', 'marie', 'michael', 'new', 'a+b'];

/** Every test account: `<user>@example.com` and `x@example.org`, password `<user>-pw`. */
export const USERS: Record<string, string> = Object.fromEntries([
  ...LOCAL_USERS.map((user) => [`${user}@${DOMAIN}`, `${user}-pw`]),
  [`x@${OTHER_DOMAIN}`, 'x-pw'],
]);

export interface RosterAdminServerOptions {
  /** Options of `example.com` beyond the plugin and its URL. */
  host?: Record<string, unknown>;
  /** Options of `example.org` (a host without the plugin). */
  otherHost?: Record<string, unknown>;
  globals?: Record<string, unknown>;
  /** Replaces the default `example.com` options entirely. */
  hosts?: HostInput[];
}

/** `example.com` with `http_roster_admin` and `http_roster_url` pointing at the backend. */
export function startRosterAdminServer(backend: RosterBackend, options: RosterAdminServerOptions = {}): Promise<TestServer> {
  const hosts = options.hosts ?? [
    VirtualHost(DOMAIN, { modules_enabled: ['http_roster_admin'], http_roster_url: backend.url(), ...options.host }),
    VirtualHost(OTHER_DOMAIN, { ...options.otherHost }),
  ];
  return startTestServer({ globals: options.globals, hosts, users: USERS });
}

/** Logs `user` in (`john` or `x@example.org`) with `resource`. */
export function loginAs(server: TestServer, user: string, resource = 'res'): Promise<RawClient> {
  const jid = user.includes('@') ? user : `${user}@${DOMAIN}`;
  return rawLogin(server.port, jid, USERS[jid]!, resource);
}

/** A ping round trip to the client's own server: everything sent to it before has arrived. */
export async function syncWith(client: RawClient, domain = DOMAIN): Promise<void> {
  const reply = await ask(client, (id) => `<iq type='get' id='${id}' to='${domain}'><ping xmlns='urn:xmpp:ping'/></iq>`);
  if (reply.attrs.type !== 'result') throw new Error(`ping failed: ${reply.toString()}`);
}

/** Everything the client received after position `from`. */
export function receivedSince(client: RawClient, from: number): Element[] {
  return client.received.slice(from);
}

/** `POST /roster_admin/refresh` on example.com. */
export function postRefresh(server: TestServer, body: string, headers: Record<string, string> = {}): Promise<HttpReply> {
  return send(`${server.httpUrl!}/roster_admin/refresh`, { method: 'POST', host: DOMAIN, body, headers });
}

/** `GET /roster_admin/refresh/<rest>` on example.com (`rest` as written, not encoded here). */
export function getRefresh(server: TestServer, rest: string, headers: Record<string, string> = {}): Promise<HttpReply> {
  return send(`${server.httpUrl!}/roster_admin/refresh/${rest}`, { host: DOMAIN, headers });
}

export function jsonOf(reply: HttpReply): unknown {
  return JSON.parse(reply.body) as unknown;
}
