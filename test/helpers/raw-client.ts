/**
 * A raw XMPP client over a real socket, for tests that need exact control of the bytes: it sends
 * strings and collects what the server sends, parsed by xmpp.js's own parser (independent of the
 * server's).
 */
import { connect as netConnect, type Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import xml from '@xmpp/xml';
import type { Element } from 'ltx';

const { Parser } = xml;
type XmppParser = InstanceType<typeof Parser>;

export class RawClient {
  readonly received: Element[] = [];
  streamHeader: Element | undefined;
  streamEnded = false;
  closed = false;
  #socket: Socket | TLSSocket;
  #parser: XmppParser;
  #waiters: (() => void)[] = [];

  private constructor(socket: Socket | TLSSocket) {
    this.#socket = socket;
    this.#parser = this.#newParser();
    this.#attach(socket);
  }

  static async connect(port: number, options: { tls?: boolean; host?: string } = {}): Promise<RawClient> {
    const host = options.host ?? '127.0.0.1';
    const socket = options.tls === true ? tlsConnect({ port, host, rejectUnauthorized: false, servername: 'localhost' }) : netConnect({ port, host });
    await new Promise<void>((resolve, reject) => {
      socket.once(options.tls === true ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  get socket(): Socket | TLSSocket {
    return this.#socket;
  }

  send(data: string | Buffer): void {
    this.#socket.write(data);
  }

  openStream(to = 'localhost', extra = ''): void {
    this.send(`<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='${to}' version='1.0'${extra}>`);
  }

  /** Resolves with the first received element (past or future) matching `predicate`. */
  async waitFor(predicate: (el: Element) => boolean, timeoutMs = 3000, from = 0): Promise<Element> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.slice(from).find(predicate);
      if (found !== undefined) return found;
      if (this.closed) throw new Error(`connection closed while waiting; received: ${this.received.map(String).join('\n')}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out waiting; received: ${this.received.map(String).join('\n')}`);
      await this.#nextEvent(remaining);
    }
  }

  /** Waits for the server's `<stream:error/>`; returns its condition element name. */
  async streamError(timeoutMs = 3000): Promise<string> {
    const error = await this.waitFor((el) => el.name === 'stream:error', timeoutMs);
    const condition = error.children.find((c): c is Element => typeof c !== 'string' && c.attrs.xmlns === 'urn:ietf:params:xml:ns:xmpp-streams' && c.name !== 'text');
    return condition?.name ?? '';
  }

  async waitForClose(timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error('timed out waiting for the server to close');
      await this.#nextEvent(remaining);
    }
  }

  /** Upgrades to TLS after `<proceed/>`. */
  async startTls(): Promise<void> {
    const plain = this.#socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    const secured = tlsConnect({ socket: plain, rejectUnauthorized: false, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => {
      secured.once('secureConnect', () => resolve());
      secured.once('error', reject);
    });
    this.#socket = secured;
    this.restartParser();
    this.#attach(secured);
  }

  /** A new stream begins (after STARTTLS or SASL success). */
  restartParser(): void {
    this.streamHeader = undefined;
    this.#parser = this.#newParser();
  }

  close(): void {
    this.#socket.destroy();
  }

  #newParser(): XmppParser {
    const parser = new Parser();
    parser.on('start', (el: Element) => {
      this.streamHeader = el;
      this.#wake();
    });
    parser.on('element', (el: Element) => {
      this.received.push(el);
      this.#wake();
    });
    parser.on('end', () => {
      this.streamEnded = true;
      this.#wake();
    });
    parser.on('error', () => this.#wake());
    return parser;
  }

  #attach(socket: Socket | TLSSocket): void {
    // A decoder per socket: multibyte characters may be split across chunks.
    const decoder = new StringDecoder('utf8');
    socket.on('data', (chunk: Buffer) => this.#parser.write(decoder.write(chunk)));
    socket.on('close', () => {
      this.closed = true;
      this.#wake();
    });
    socket.on('error', () => undefined);
  }

  #wake(): void {
    for (const waiter of this.#waiters.splice(0)) waiter();
  }

  #nextEvent(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.#waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
