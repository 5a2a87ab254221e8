/** The server under load as the scenarios see it: log an account in, read the server's stats. */
import { BENCH_DOMAIN, BENCH_PASSWORD, benchUsername, type ServerStats } from './bench-protocol.js';
import { LoadClient, type SaslMechanismName, type TlsMode } from './load-client.js';
import { ScramKeyCache } from './scram-client.js';
import type { BenchServer } from './server-process.js';

export class BenchTarget {
  readonly #server: BenchServer;
  readonly #tls: TlsMode;
  readonly #keys = new ScramKeyCache();

  constructor(server: BenchServer, tls: TlsMode) {
    this.#server = server;
    this.#tls = tls;
  }

  /** The bare JID of the `index`-th account. */
  bareJid(index: number): string {
    return `${benchUsername(index)}@${BENCH_DOMAIN}`;
  }

  stats(): Promise<ServerStats> {
    return this.#server.stats();
  }

  /** Why the server process is gone, or undefined while it runs. */
  get serverExit(): string | undefined {
    return this.#server.exitReason;
  }

  login(index: number, mechanism: SaslMechanismName): Promise<LoadClient> {
    const ready = this.#server.ready;
    return LoadClient.login({
      host: '127.0.0.1',
      port: this.#tls === 'direct' ? ready.directTlsPort : ready.port,
      domain: BENCH_DOMAIN,
      username: benchUsername(index),
      password: BENCH_PASSWORD,
      mechanism,
      tls: this.#tls,
      ca: ready.certificate,
      scramKeys: this.#keys,
    });
  }
}
