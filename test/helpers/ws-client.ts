/**
 * A raw XMPP-over-WebSocket client (RFC 7395) on the `ws` package: it sends strings and parses
 * every message it receives with ltx's own parser (independent of the server's).
 */
import { parse, type Element } from 'ltx';
import WebSocket from 'ws';

export const FRAMING_NS = 'urn:ietf:params:xml:ns:xmpp-framing';

export interface WsConnectOptions {
  protocols?: string[];
  origin?: string;
  /** The `Host` header; default `localhost` with the URL's port. */
  host?: string;
  /** Answer the server's pings (default true). */
  autoPong?: boolean;
  /** More request headers (e.g. `X-Forwarded-For`). */
  headers?: Record<string, string>;
}

/** Opens a socket; rejects with the HTTP status when the server refuses the handshake. */
function open(url: string, options: WsConnectOptions): Promise<WebSocket> {
  const port = new URL(url).port;
  const headers: Record<string, string> = { ...options.headers, Host: options.host ?? `localhost:${port}` };
  if (options.origin !== undefined) headers.Origin = options.origin;
  const socket = new WebSocket(url, options.protocols ?? ['xmpp'], { headers, autoPong: options.autoPong ?? true });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) => {
      reject(new HandshakeRefused(response.statusCode ?? 0));
      response.resume();
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

export class HandshakeRefused extends Error {
  constructor(readonly status: number) {
    super(`handshake refused with HTTP ${status}`);
  }
}

export class WsClient {
  readonly received: Element[] = [];
  readonly socket: WebSocket;
  /** Resolves with the close code once the WebSocket has closed. */
  readonly closed: Promise<number>;
  #waiters: (() => void)[] = [];

  private constructor(socket: WebSocket) {
    this.socket = socket;
    this.closed = new Promise((resolve) => socket.once('close', (code) => {
      resolve(code);
      this.#wake();
    }));
    socket.on('message', (data: Buffer) => {
      const element = parse(data.toString('utf8'));
      this.received.push(element);
      // RFC 7395 §3.6: a client answers the server's <close/> with its own.
      if (element.name === 'close' && element.attrs.xmlns === FRAMING_NS && socket.readyState === socket.OPEN) {
        socket.send(`<close xmlns='${FRAMING_NS}'/>`);
      }
      this.#wake();
    });
    socket.on('error', () => undefined);
  }

  static async connect(url: string, options: WsConnectOptions = {}): Promise<WsClient> {
    return new WsClient(await open(url, options));
  }

  send(text: string): void {
    this.socket.send(text);
  }

  openStream(domain: string): void {
    this.send(`<open xmlns='${FRAMING_NS}' to='${domain}' version='1.0'/>`);
  }

  /** The first element received at or after index `from` that matches. */
  waitFor(predicate: (el: Element) => boolean, timeoutMs = 3000, from = 0): Promise<Element> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.received.slice(from).find(predicate);
        if (found === undefined) return false;
        resolve(found);
        return true;
      };
      if (check()) return;
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out; received: ${this.received.map(String).join('\n')}`));
      }, timeoutMs);
      const waiter = (): void => {
        if (!check()) return;
        clearTimeout(timer);
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
      };
      this.#waiters.push(waiter);
    });
  }

  /** The stream error condition received, if any. */
  streamErrorCondition(): string | undefined {
    const error = this.received.find((el) => el.name === 'stream:error');
    const condition = error?.children.find((child): child is Element => typeof child !== 'string' && child.name !== 'text');
    return condition?.name;
  }

  stop(): void {
    this.socket.terminate();
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}

/** Opens a stream, authenticates with PLAIN and binds `resource`. */
export async function wsLogin(url: string, jid: string, password: string, resource = 'ws'): Promise<WsClient> {
  const [username, domain] = jid.split('@') as [string, string];
  const client = await WsClient.connect(url);
  client.openStream(domain);
  await client.waitFor((el) => el.name === 'stream:features');
  const payload = Buffer.from(`\0${username}\0${password}`).toString('base64');
  client.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${payload}</auth>`);
  const outcome = await client.waitFor((el) => el.name === 'success' || el.name === 'failure');
  if (outcome.name !== 'success') throw new Error(`login failed: ${outcome.toString()}`);
  const seen = client.received.length;
  client.openStream(domain);
  await client.waitFor((el) => el.name === 'stream:features', 3000, seen);
  client.send(`<iq xmlns='jabber:client' type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>${resource}</resource></bind></iq>`);
  const bound = await client.waitFor((el) => el.name === 'iq' && el.attrs.id === 'bind1', 3000, seen);
  if (bound.attrs.type !== 'result') throw new Error(`bind failed: ${bound.toString()}`);
  return client;
}

/** The HTTP status of a WebSocket handshake: 101 when accepted, the refusal's status otherwise. */
export async function handshakeStatus(url: string, options: WsConnectOptions): Promise<number> {
  try {
    const client = await WsClient.connect(url, options);
    client.stop();
    return 101;
  } catch (error) {
    if (error instanceof HandshakeRefused) return error.status;
    throw error;
  }
}
