/** The server under load as the scenarios see it: log an account in, read the server's stats. */
import { BENCH_DOMAIN, BENCH_PASSWORD, benchUsername, rosterUsername, type ServerStats } from './bench-protocol.js';
import { LoadClient, type SaslMechanismName, type TlsMode } from './load-client.js';
import { ScramKeyCache } from './scram-client.js';
import { SmClient } from './sm-client.js';
import type { ServerUnderTest } from './server-under-test.js';

/** Which accounts: `user<i>` (no roster) or `ruser<i>` (with a roster, see `bench-data.ts`). */
export type AccountKind = 'plain' | 'roster';

export interface TargetLoginOptions {
  account?: AccountKind;
  /** Roster get before initial presence. */
  rosterGet?: boolean;
  /** Overrides the target's TLS mode for this login. */
  tls?: TlsMode;
  /** Offer the TLS session this account's previous login received (resumption with a ticket). */
  resumeTls?: boolean;
}

/** Loopback source addresses connections are spread over (each has its own ephemeral ports). */
const SOURCE_ADDRESSES = 8;

export class BenchTarget {
  readonly #server: ServerUnderTest;
  readonly #tls: TlsMode;
  readonly #keys: ScramKeyCache;
  #connections = 0;
  /** The newest TLS session (ticket) per account, for `resumeTls` logins; bounded by the accounts in use. */
  readonly #tlsSessions = new Map<string, Buffer>();

  constructor(server: ServerUnderTest, tls: TlsMode, keys = new ScramKeyCache()) {
    this.#server = server;
    this.#tls = tls;
    this.#keys = keys;
  }

  get server(): ServerUnderTest {
    return this.#server;
  }

  /** The bare JID of the `index`-th account. */
  bareJid(index: number, account: AccountKind = 'plain'): string {
    return `${account === 'plain' ? benchUsername(index) : rosterUsername(index)}@${BENCH_DOMAIN}`;
  }

  stats(collect = false): Promise<ServerStats> {
    return this.#server.stats(collect);
  }

  /** Why the server process is gone, or undefined while it runs. */
  get serverExit(): string | undefined {
    return this.#server.exitReason;
  }

  /** Whether a login of this account pays no PBKDF2 on this side (its SCRAM keys are cached). */
  hasKeys(index: number, mechanism: SaslMechanismName, account: AccountKind = 'plain'): boolean {
    return mechanism === 'PLAIN' || this.#keys.has(mechanism, account === 'plain' ? benchUsername(index) : rosterUsername(index));
  }

  /** The server's data directory, for scenarios that measure what it writes to disk; undefined on memory storage. */
  get dataDir(): string | undefined {
    return this.#server.dataDir;
  }

  /** An authenticated plain-TCP connection of `user<index>` for stream management (`sm-client.ts`), not bound yet. */
  smConnect(index: number, mechanism: SaslMechanismName): Promise<SmClient> {
    return SmClient.authenticated({
      host: '127.0.0.1', port: this.#server.ready.port, localAddress: `127.0.0.${1 + (this.#connections++ % SOURCE_ADDRESSES)}`,
      domain: BENCH_DOMAIN, username: benchUsername(index), password: BENCH_PASSWORD, mechanism, scramKeys: this.#keys,
    });
  }

  login(index: number, mechanism: SaslMechanismName, options: TargetLoginOptions = {}): Promise<LoadClient> {
    const ready = this.#server.ready;
    const tls = options.tls ?? this.#tls;
    const account = options.account ?? 'plain';
    const username = account === 'plain' ? benchUsername(index) : rosterUsername(index);
    const sessions = this.#tlsSessions;
    return LoadClient.login({
      host: '127.0.0.1',
      port: tls === 'direct' ? ready.directTlsPort : ready.port,
      localAddress: `127.0.0.${1 + (this.#connections++ % SOURCE_ADDRESSES)}`,
      domain: BENCH_DOMAIN,
      username,
      password: BENCH_PASSWORD,
      ...(options.resumeTls === true ? { tlsSession: { offer: () => sessions.get(username), keep: (session: Buffer) => sessions.set(username, session) } } : {}),
      mechanism,
      tls,
      // No `ca`: the generator does not check the certificate (see `LoginOptions.ca`).
      scramKeys: this.#keys,
      rosterGet: options.rosterGet === true,
    });
  }
}
