/**
 * The setting of the admin API's room tests: `localhost` serves the API (one token with every
 * scope) and has the users, `conference.localhost` is the first MUC service and
 * `chat.localhost` a second one. Unlike `admin-api.ts`'s server this one has TLS, so that real
 * XMPP clients (raw, over STARTTLS) can watch what the API's calls do.
 */
import type { Element } from 'ltx';
import { ADMIN_SCOPES } from '../../admin/index.js';
import { Component, VirtualHost } from '../../salon.js';
import { adminCall, testToken, tokenEntry, type AdminCallOptions, type AdminReply } from './admin-api.js';
import { login, statusCodes, users } from './muc-harness.js';
import type { RawClient } from './raw-client.js';
import { startTestServer, type TestServer } from './test-server.js';

export { errorCode } from './admin-api.js';

export const SECOND_SERVICE = 'chat.localhost';

export interface RoomsApi {
  readonly server: TestServer;
  /** A token with the `messages:write` scope only. */
  readonly messengerToken: string;
  call(method: string, path: string, options?: AdminCallOptions): Promise<AdminReply>;
  /** Logs `<name>@localhost` in (password `<name>-secret`) over STARTTLS. */
  connect(name: string, resource?: string): Promise<RawClient>;
  stop(): Promise<void>;
}

/** Starts the server with the accounts `names` (`<name>@localhost`, password `<name>-secret`). */
export async function startRoomsApi(names: readonly string[], mucOptions: Record<string, unknown> = {}): Promise<RoomsApi> {
  const token = testToken('backend', ADMIN_SCOPES);
  const messenger = testToken('messenger', ['messages:write']);
  const server = await startTestServer({
    hosts: [
      VirtualHost('localhost', { modules_enabled: ['http_admin_api'], http_admin_api_tokens: [tokenEntry(token), tokenEntry(messenger)] }),
      Component('conference.localhost', 'muc', mucOptions),
      Component(SECOND_SERVICE, 'muc'),
    ],
    users: users(...names),
  });
  const clients: RawClient[] = [];
  return {
    server,
    messengerToken: messenger.token,
    call: (method, path, options = {}) => adminCall(`${server.httpUrl!}/admin${path}`, method, { token: token.token, ...options }),
    connect: async (name, resource = 'r') => {
      const client = await login(server.port, name, resource);
      clients.push(client);
      return client;
    },
    stop: async () => {
      for (const client of clients) client.close();
      await server.stop();
    },
  };
}

/** The first presence from `from` received after index `seen` that satisfies `also`. */
export function presenceFrom(client: RawClient, from: string, seen: number, also: (el: Element) => boolean = () => true): Promise<Element> {
  return client.waitFor((el) => el.name === 'presence' && el.attrs.from === from && also(el), 3000, seen);
}

/** Whether a presence carries every one of `codes`. */
export function hasCodes(el: Element, ...codes: number[]): boolean {
  const present = statusCodes(el);
  return codes.every((code) => present.includes(code));
}
