/**
 * A real client library (xmpp.js `@xmpp/client`) connected to a test server, with helpers to wait
 * for stanzas. TLS certificate checks are off for the test certificate (tests check the server,
 * not the PKI).
 */
import tls from 'node:tls';
import { client as createClient, xml } from '@xmpp/client';
import type { Element } from 'ltx';
import { ScramSha256Client } from './scram-sha-256-client.js';

export { xml };

export interface ClientOptions {
  port: number;
  username: string;
  password: string;
  domain?: string;
  resource?: string;
  /** Force a mechanism (default: the library's choice). */
  mechanism?: 'PLAIN' | 'SCRAM-SHA-1' | 'SCRAM-SHA-256';
  /** `xmpp` = TCP + STARTTLS, `xmpps` = Direct TLS. */
  scheme?: 'xmpp' | 'xmpps';
}

export interface TestClient {
  readonly xmpp: ReturnType<typeof createClient>;
  readonly jid: string;
  readonly received: Element[];
  waitFor(predicate: (el: Element) => boolean, timeoutMs?: number): Promise<Element>;
  send(stanza: Element): Promise<void>;
  stop(): Promise<void>;
}

/**
 * xmpp.js cannot be given a CA, so its TLS connections get the test servers' certificates as their
 * trust store here: the chain and host name are still verified, against the certificate under test.
 */
const trusted = new Set<string>();
const originalConnect = tls.connect;
function trustingConnect(...args: unknown[]): tls.TLSSocket {
  const [first] = args;
  if (typeof first === 'object' && first !== null && (first as tls.ConnectionOptions).ca === undefined && trusted.size > 0) {
    const options = first as tls.ConnectionOptions;
    args[0] = { ...options, ca: [...trusted], servername: options.servername ?? 'localhost' };
  }
  return (originalConnect as (...a: unknown[]) => tls.TLSSocket)(...args);
}

export function trustCertificate(pem: string | undefined): void {
  if (pem === undefined) return;
  trusted.add(pem);
  (tls as { connect: unknown }).connect = trustingConnect;
}

export async function connectClient(options: ClientOptions): Promise<TestClient> {
  const domain = options.domain ?? 'localhost';
  const xmpp = createClient({
    service: `${options.scheme ?? 'xmpp'}://127.0.0.1:${options.port}`,
    domain,
    resource: options.resource,
    credentials: async (authenticate: (c: object, m: string) => Promise<void>, mechanisms: string[]) => {
      const mechanism = options.mechanism ?? mechanisms[0]!;
      await authenticate({ username: options.username, password: options.password }, mechanism);
    },
  });
  xmpp.saslFactory.use('SCRAM-SHA-256', ScramSha256Client);
  xmpp.reconnect.stop();
  const received: Element[] = [];
  const waiters = new Set<() => void>();
  xmpp.on('stanza', (stanza: Element) => {
    received.push(stanza);
    for (const wake of [...waiters]) wake();
  });
  xmpp.on('error', () => undefined);
  const address = await xmpp.start();
  return {
    xmpp,
    jid: String(address),
    received,
    async waitFor(predicate, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(predicate);
        if (found !== undefined) return found;
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new Error(`timed out; received: ${received.map(String).join('\n')}`);
        await new Promise<void>((resolve) => {
          const wake = (): void => {
            clearTimeout(timer);
            waiters.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, remaining);
          waiters.add(wake);
        });
      }
    },
    send: (stanza) => xmpp.send(stanza),
    stop: async () => {
      await xmpp.stop().catch(() => undefined);
    },
  };
}
