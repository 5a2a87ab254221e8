/**
 * The consumer side of the fixture tests: an ordinary XMPP client library (xmpp.js) logging in
 * to a fixture started without TLS, exactly as a bot's or backend's own test suite would.
 */
import { client as createClient, xml, type XmppClient } from '@xmpp/client';
import type { Element } from 'ltx';

export { xml };

export interface Client {
  readonly xmpp: XmppClient;
  readonly jid: string;
  readonly received: Element[];
  /** Connection statuses in order (`online`, `close` = stream closed, `disconnect` = socket gone). */
  readonly statuses: string[];
  /** Resolves with the first stanza received (from index `since`) matching `predicate`. */
  waitFor(predicate: (el: Element) => boolean, timeoutMs?: number, since?: number): Promise<Element>;
  /** Resolves once the status is reached. */
  waitForStatus(status: string, timeoutMs?: number): Promise<void>;
  send(stanza: Element): Promise<void>;
  stop(): Promise<void>;
}

export interface LoginOptions {
  readonly port: number;
  readonly jid: string;
  readonly password: string;
  readonly resource?: string;
}

/** Resolves once `check` holds, re-checked whenever `wake` is called; rejects after `timeoutMs`. */
function until(check: () => boolean, wakers: Set<() => void>, timeoutMs: number, what: () => string): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const wake = (): void => {
      if (!check()) return;
      clearTimeout(timer);
      wakers.delete(wake);
      resolve();
    };
    const timer = setTimeout(() => {
      wakers.delete(wake);
      reject(new Error(`timed out waiting for ${what()}`));
    }, timeoutMs);
    wakers.add(wake);
  });
}

/** Logs in over plain TCP (the fixture with `tls: false`) and sends initial presence. */
export async function login(options: LoginOptions): Promise<Client> {
  const [local, domain] = options.jid.split('@') as [string, string];
  const xmpp = createClient({
    service: `xmpp://127.0.0.1:${options.port}`,
    domain,
    resource: options.resource ?? 'test',
    username: local,
    password: options.password,
  });
  xmpp.reconnect.stop();
  const received: Element[] = [];
  const statuses: string[] = [];
  const wakers = new Set<() => void>();
  const wakeAll = (): void => {
    for (const wake of [...wakers]) wake();
  };
  xmpp.on('stanza', (stanza) => {
    received.push(stanza);
    wakeAll();
  });
  xmpp.on('status', (status) => {
    statuses.push(String(status));
    wakeAll();
  });
  xmpp.on('error', () => undefined);
  const address = await xmpp.start();
  await xmpp.send(xml('presence'));
  return {
    xmpp,
    jid: String(address),
    received,
    statuses,
    async waitFor(predicate, timeoutMs = 5000, since = 0) {
      let found: Element | undefined;
      const check = (): boolean => (found = received.slice(since).find(predicate)) !== undefined;
      await until(check, wakers, timeoutMs, () => `a stanza; got ${received.map(String).join('\n')}`);
      return found!;
    },
    waitForStatus: (status, timeoutMs = 5000) => until(() => statuses.includes(status), wakers, timeoutMs, () => `status ${status}; got ${statuses.join(', ')}`),
    send: (stanza) => xmpp.send(stanza),
    stop: async () => {
      await xmpp.stop().catch(() => undefined);
    },
  };
}
