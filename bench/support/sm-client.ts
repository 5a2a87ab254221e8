/**
 * A lean client of XEP-0198 Stream Management over a raw socket, for the `sm-*` scenarios: it
 * authenticates like `LoadClient`, then either binds and enables resumable stream management or
 * resumes an earlier session on the new connection. It counts the stanzas it receives (the `h` it
 * acknowledges), answers the server's `<r/>` at once, and can drop its TCP connection without
 * closing the stream, which is what a phone losing its network looks like to a server.
 */
import { ElementInbox, INBOX_LIMIT, type Received } from './element-inbox.js';
import { connect as connectTcp, type Socket } from 'node:net';
import { authenticate, type SaslExchange } from './sasl-client.js';
import type { ScramKeyCache } from './scram-client.js';
import type { SaslMechanismName } from './load-client.js';
import { attributeOf, StanzaSplitter } from './stanza-splitter.js';

export const NS_SM = 'urn:xmpp:sm:3';

export interface SmConnectOptions {
  host: string;
  port: number;
  localAddress?: string;
  domain: string;
  username: string;
  password: string;
  mechanism: SaslMechanismName;
  scramKeys: ScramKeyCache;
  /** Deadline of each negotiation step; default 10 s. */
  timeoutMs?: number;
}

/** XEP-0198 §4: only these count towards `h`. */
const COUNTED = new Set(['message', 'presence', 'iq']);

export class SmClient implements SaslExchange {
  /** The bound full JID. */
  jid = '';
  /** The resumption id the server gave in `<enabled/>`. */
  smId = '';
  /** Stanzas received since stream management was enabled (on this session, across resumptions). */
  handled = 0;
  /** Called for every element once negotiation is over and no step waits; `<r/>` is answered, not passed on. */
  onStanza: ((xml: string, name: string) => void) | undefined;
  readonly #socket: Socket;
  readonly #timeoutMs: number;
  readonly #splitter: StanzaSplitter;
  readonly #inbox: ElementInbox;
  #counting = false;

  private constructor(socket: Socket, timeoutMs: number) {
    this.#socket = socket;
    this.#timeoutMs = timeoutMs;
    this.#inbox = new ElementInbox(timeoutMs);
    this.#splitter = new StanzaSplitter({
      onOpen: (header) => this.#receive({ name: 'stream:stream', xml: header }),
      onElement: (xml, name) => this.#receive({ name, xml }),
      onClose: () => this.#end('server closed the stream'),
    });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#splitter.write(chunk));
    socket.on('error', (error) => this.#end(`socket error: ${error.message}`));
    socket.on('close', () => this.#end('connection closed'));
  }

  /** Opens a TCP connection and authenticates (no bind yet). */
  static async authenticated(options: SmConnectOptions): Promise<SmClient> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const socket = connectTcp({ host: options.host, port: options.port, ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }) });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('connect timed out')), timeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    const client = new SmClient(socket, timeoutMs);
    try {
      const features = await client.#openStream(options.domain);
      await authenticate(client, features, options, options.scramKeys);
      client.#splitter.reset();
      const afterAuth = await client.#openStream(options.domain);
      if (!afterAuth.includes(NS_SM)) throw new Error(`stream management not offered: ${afterAuth.slice(0, 400)}`);
    } catch (error) {
      client.destroy();
      throw error;
    }
    return client;
  }

  /** Binds a resource, enables resumable stream management, sends initial presence. */
  async bindAndEnable(): Promise<void> {
    this.send("<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>");
    const bound = await this.expect('iq');
    const jid = /<jid>([^<]+)<\/jid>/.exec(bound);
    if (attributeOf(bound, 'type') !== 'result' || jid?.[1] === undefined) throw new Error(`bind failed: ${bound}`);
    this.jid = jid[1];
    this.send(`<enable xmlns='${NS_SM}' resume='true'/>`);
    const enabled = await this.expect('enabled');
    const id = attributeOf(enabled, 'id');
    if (id === undefined) throw new Error(`<enabled/> without a resumption id: ${enabled}`);
    this.smId = id;
    this.#counting = true;
    this.send('<presence/>');
  }

  /**
   * XEP-0198 §5: resumes the session `previous` left (same id, its `h` and JID) on this
   * connection; resolves at `<resumed/>`, throws at `<failed/>`.
   */
  async resume(previous: SmClient): Promise<void> {
    this.jid = previous.jid;
    this.smId = previous.smId;
    this.handled = previous.handled;
    this.#counting = true;
    this.send(`<resume xmlns='${NS_SM}' h='${this.handled}' previd='${this.smId}'/>`);
    const answer = await this.next();
    if (answer.name !== 'resumed') throw new Error(`resumption refused: ${answer.xml.slice(0, 400)}`);
  }

  /** An iq round trip to the server: everything sent before it has been handled once it is answered. */
  async roundTrip(id: string): Promise<void> {
    this.send(`<iq type='get' id='${id}' to='${this.jid.slice(this.jid.indexOf('@') + 1, this.jid.indexOf('/'))}'><ping xmlns='urn:xmpp:ping'/></iq>`);
    for (let i = 0; i < INBOX_LIMIT; i++) {
      const received = await this.next();
      if (received.name === 'iq' && attributeOf(received.xml, 'id') === id) return;
    }
    throw new Error('round trip: no answer among the next elements');
  }

  send(xml: string): void {
    this.#socket.write(xml);
  }

  /** Acknowledges everything received so far (XEP-0198 §4, unsolicited `<a/>`). */
  ack(): void {
    this.send(`<a xmlns='${NS_SM}' h='${this.handled}'/>`);
  }

  next(): Promise<Received> {
    return this.#inbox.next();
  }

  expect(name: string): Promise<string> {
    return this.#inbox.expect(name);
  }

  /** Drops the TCP connection without closing the stream (no `</stream:stream>`, no ack). */
  cut(): void {
    this.#inbox.markEnded('cut');
    this.#socket.destroy();
  }

  /** Ends the stream cleanly (the server then forgets the session instead of hibernating it). */
  close(): void {
    if (this.#inbox.ended === undefined) this.#socket.end('</stream:stream>');
    this.#inbox.markEnded('closed');
  }

  destroy(): void {
    this.#inbox.markEnded('destroyed');
    this.#socket.destroy();
  }

  async #openStream(domain: string): Promise<string> {
    this.send(`<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='${domain}' version='1.0'>`);
    await this.expect('stream:stream');
    return this.expect('stream:features');
  }

  #receive(received: Received): void {
    if (received.name === 'r') {
      this.ack();
      return;
    }
    if (this.#counting && COUNTED.has(received.name)) this.handled++;
    if (received.name === 'stream:error') this.#end(`stream error: ${received.xml}`);
    this.#inbox.deliver(received, this.onStanza);
  }

  #end(reason: string): void {
    this.#inbox.end(reason);
  }
}
