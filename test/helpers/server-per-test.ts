/**
 * The fixture most protocol tests share: a fresh server for each test and, after it, every client
 * the test tracked closed and the server stopped, so no test sees another's sessions.
 *
 * `rawServerPerTest()` is for tests speaking raw XML (RawClient), `xmppJsServerPerTest()` for
 * tests using @xmpp/client. Pass `{ start: false }` when each test starts its server itself,
 * with its own options, through `fixture.start(...)`.
 */
import { afterEach, beforeEach } from '@jest/globals';
import type { RawClient } from './raw-client.js';
import { isPresence, login } from './roster-raw.js';
import { startTestServer, type TestServer, type TestServerOptions } from './test-server.js';
import { connectClient, xml, type TestClient } from './xmpp-client.js';

export interface FixtureOptions {
  /** The options of the server started before each test; `false`: each test calls `start`. */
  start?: TestServerOptions | false;
}

export class ServerPerTest<C> {
  #server: TestServer | undefined;
  readonly #clients: C[] = [];
  readonly #close: (client: C) => unknown;

  constructor(close: (client: C) => unknown) {
    this.#close = close;
  }

  /** The running server; a test that reads it before any start is wrong, so this throws. */
  get server(): TestServer {
    if (this.#server === undefined) throw new Error('no server started for this test');
    return this.#server;
  }

  async start(options: TestServerOptions = {}): Promise<TestServer> {
    this.#server = await startTestServer(options);
    return this.#server;
  }

  /** Closes `client` after the test. */
  track<T extends C>(client: T): T {
    this.#clients.push(client);
    return client;
  }

  async stop(): Promise<void> {
    for (const client of this.#clients.splice(0)) await this.#close(client);
    await this.#server?.stop();
    this.#server = undefined;
  }
}

function perTest<C>(close: (client: C) => unknown, options: FixtureOptions): ServerPerTest<C> {
  const fixture = new ServerPerTest<C>(close);
  const startOptions = options.start;
  if (startOptions !== false) {
    beforeEach(async () => {
      await fixture.start(startOptions);
    });
  }
  afterEach(async () => {
    await fixture.stop();
  });
  return fixture;
}

export function rawServerPerTest(options: FixtureOptions = {}): ServerPerTest<RawClient> {
  return perTest<RawClient>((client) => client.close(), options);
}

export function xmppJsServerPerTest(options: FixtureOptions = {}): ServerPerTest<TestClient> {
  return perTest<TestClient>((client) => client.stop(), options);
}

/** Logs `user` in over raw XML, sends `presence` and waits for its echo; closed after the test. */
export async function rawOnline(fixture: ServerPerTest<RawClient>, user: string, resource: string, presence = '<presence/>'): Promise<RawClient> {
  const client = fixture.track(await login(fixture.server.port, user, resource));
  client.send(presence);
  await client.waitFor(isPresence(`${user}@localhost/${resource}`));
  return client;
}

/** Logs `username` in with @xmpp/client (SCRAM-SHA-256), sends presence and waits for its echo. */
export async function xmppJsOnline(fixture: ServerPerTest<TestClient>, username: string, resource: string): Promise<TestClient> {
  const client = fixture.track(
    await connectClient({ port: fixture.server.port, username, password: `${username}-secret`, resource, mechanism: 'SCRAM-SHA-256' }),
  );
  await client.send(xml('presence'));
  await client.waitFor((el) => el.name === 'presence' && el.attrs.from === client.jid);
  return client;
}
