/**
 * A lean XMPP client over a raw socket for load generation: stream negotiation (RFC 6120 §4–§7:
 * STARTTLS, SASL PLAIN or SCRAM, resource binding), initial presence, raw stanza output, and a
 * callback per incoming top-level element. It never builds XML trees, so one process can drive
 * many connections without becoming the bottleneck it is meant to measure.
 */
import { ElementInbox, INBOX_LIMIT, type Received } from './element-inbox.js';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import { attributeOf, StanzaSplitter } from './stanza-splitter.js';
import { ScramKeyCache, type ScramMechanism } from './scram-client.js';
import { authenticate, type SaslExchange } from './sasl-client.js';

export type SaslMechanismName = 'PLAIN' | ScramMechanism;
/** `none`: plain TCP; `starttls`: RFC 6120 §5; `direct`: TLS from the first byte (XEP-0368). */
export type TlsMode = 'none' | 'starttls' | 'direct';

export interface LoginOptions {
  host: string;
  port: number;
  /** The XMPP domain (stream `to`, TLS server name). */
  domain: string;
  username: string;
  password: string;
  mechanism: SaslMechanismName;
  tls: TlsMode;
  /**
   * PEM certificate(s) to trust for TLS; without, any certificate is accepted. A load generator
   * measures the server's handshake, not its own checks: once OpenSSL has verified a chain, Node
   * turns the certificate into a JavaScript object for the host-name check, ≈ 1 ms per connection
   * and a fifth of the generator's time in STARTTLS logins. An unverifiable certificate skips it.
   */
  ca?: string;
  /** Deadline of each negotiation step and of the closing handshake; default 10 s. */
  timeoutMs?: number;
  /** Shared across logins so each account pays PBKDF2 once. */
  scramKeys?: ScramKeyCache;
  /** Fetch the roster (RFC 6121 §2.1.3) after binding and before initial presence, as clients do. */
  rosterGet?: boolean;
  /** The local address to connect from (several loopback addresses spread ephemeral ports). */
  localAddress?: string;
  /** TLS session resumption: the session to offer, and where to keep the one the server issues. */
  tlsSession?: TlsSessionSlot;
}

/** One account's TLS session (a TLS 1.3 ticket) between its logins. */
export interface TlsSessionSlot {
  offer(): Buffer | undefined;
  keep(session: Buffer): void;
}

const NS_TLS = 'urn:ietf:params:xml:ns:xmpp-tls';
const defaultKeys = new ScramKeyCache();

export class LoadClient implements SaslExchange {
  /** The bound full JID. */
  jid = '';
  /** Whether the TLS handshake resumed an earlier session (an abbreviated handshake). */
  tlsResumed = false;
  /** Called for every top-level element once negotiation is over (and no step is waiting). */
  onStanza: ((xml: string, name: string) => void) | undefined;
  /** Called once if the stream ends without `close()`: a stream error, or the server hung up. */
  onEnd: ((reason: string) => void) | undefined;
  #socket: Socket;
  readonly #timeoutMs: number;
  readonly #splitter: StanzaSplitter;
  readonly #inbox: ElementInbox;
  #closing = false;
  #corked = false;
  /** Set by `readRaw`: incoming bytes go here instead of the splitter. */
  #rawConsumer: ((chunk: Buffer) => void) | undefined;
  #resolveClosed!: () => void;
  readonly #closed = new Promise<void>((resolve) => (this.#resolveClosed = resolve));

  private constructor(socket: Socket, timeoutMs: number) {
    this.#socket = socket;
    this.#timeoutMs = timeoutMs;
    this.#inbox = new ElementInbox(timeoutMs);
    this.#splitter = new StanzaSplitter({
      onOpen: (header) => this.#receive({ name: 'stream:stream', xml: header }),
      onElement: (xml, name) => this.#receive({ name, xml }),
      onClose: () => {
        this.#end('server closed the stream');
        this.#socket.end();
      },
    });
    this.#attach(socket);
  }

  /** Connects, authenticates, binds a resource and sends initial presence (RFC 6121 §4.2). */
  static async login(options: LoginOptions): Promise<LoadClient> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const client = new LoadClient(await openSocket(options, timeoutMs), timeoutMs);
    try {
      await client.#negotiate(options);
    } catch (error) {
      client.destroy();
      throw error;
    }
    return client;
  }

  /** Writes raw XML; writes made in one tick leave in one segment. */
  send(xml: string): void {
    const socket = this.#socket;
    if (!this.#corked) {
      this.#corked = true;
      socket.cork();
      process.nextTick(() => {
        this.#corked = false;
        socket.uncork();
      });
    }
    socket.write(xml);
  }

  /**
   * From now on hands incoming bytes to `consumer` as they arrive instead of cutting them into
   * elements: `onStanza`, `next` and `expect` receive nothing more. For scenarios that count
   * deliveries at rates where the splitter would cost more than the server under test. Call it
   * when the stream is quiet (after a round trip), so no element is half read.
   */
  readRaw(consumer: (chunk: Buffer) => void): void {
    if (this.#splitter.pendingText.trim() !== '') throw new Error('readRaw: an element is half read');
    this.#rawConsumer = consumer;
  }

  /** Waits for the next element; fails on timeout or when the stream ends. */
  next(): Promise<Received> {
    return this.#inbox.next();
  }

  /** Waits for an element named `name`; anything else is an error carrying what arrived. */
  expect(name: string): Promise<string> {
    return this.#inbox.expect(name);
  }

  /**
   * An iq round trip (RFC 3921 §3 session request, answered by the server itself): once it is
   * answered, everything sent before it has been processed. Elements arriving meanwhile are dropped.
   */
  async roundTrip(id: string): Promise<void> {
    this.send(`<iq type='set' id='${id}'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>`);
    for (let i = 0; i < INBOX_LIMIT; i++) {
      const received = await this.next();
      if (received.name === 'iq' && attributeOf(received.xml, 'id') === id) {
        if (attributeOf(received.xml, 'type') !== 'result') throw new Error(`round trip failed: ${received.xml}`);
        return;
      }
    }
    throw new Error('round trip: no answer among the next elements');
  }

  /** Ends the stream (RFC 6120 §4.4): `</stream:stream>`, then waits for the server to close. */
  async close(): Promise<void> {
    this.#closing = true;
    if (this.#inbox.ended === undefined) this.#socket.write('</stream:stream>');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), this.#timeoutMs)));
    const stuck = await Promise.race([this.#closed.then(() => false), timedOut]);
    clearTimeout(timer);
    if (stuck) {
      this.destroy();
      throw new Error(`the server did not close the stream within ${this.#timeoutMs} ms`);
    }
  }

  destroy(): void {
    this.#closing = true;
    this.#socket.destroy();
  }

  async #negotiate(options: LoginOptions): Promise<void> {
    let features = await this.#openStream(options.domain);
    if (options.tls === 'starttls') {
      if (!features.includes(NS_TLS)) throw new Error(`STARTTLS not offered: ${features}`);
      this.send(`<starttls xmlns='${NS_TLS}'/>`);
      await this.expect('proceed');
      await this.#upgrade(options);
      features = await this.#openStream(options.domain);
    }
    await authenticate(this, features, options, options.scramKeys ?? defaultKeys);
    this.#splitter.reset();
    await this.#openStream(options.domain);
    this.send("<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>");
    const bound = await this.expect('iq');
    const jid = /<jid>([^<]+)<\/jid>/.exec(bound);
    if (attributeOf(bound, 'type') !== 'result' || jid?.[1] === undefined) throw new Error(`bind failed: ${bound}`);
    this.jid = jid[1];
    if (options.rosterGet === true) await this.#rosterGet();
    this.send('<presence/>');
  }

  /** Sends a roster get and waits for its result; anything arriving before it is dropped. */
  async #rosterGet(): Promise<void> {
    this.send("<iq type='get' id='roster'><query xmlns='jabber:iq:roster'/></iq>");
    for (let i = 0; i < INBOX_LIMIT; i++) {
      const received = await this.next();
      if (received.name !== 'iq' || attributeOf(received.xml, 'id') !== 'roster') continue;
      if (attributeOf(received.xml, 'type') !== 'result') throw new Error(`roster get failed: ${received.xml.slice(0, 400)}`);
      return;
    }
    throw new Error('roster get: no answer among the next elements');
  }

  /** Opens a stream and returns the `<stream:features/>` that follow the header. */
  async #openStream(domain: string): Promise<string> {
    this.send(`<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='${domain}' version='1.0'>`);
    await this.expect('stream:stream');
    return this.expect('stream:features');
  }

  /** RFC 6120 §5.4.3.3: TLS on the same socket, then a fresh stream. */
  async #upgrade(options: LoginOptions): Promise<void> {
    const plain = this.#socket;
    plain.removeAllListeners('data').removeAllListeners('close').removeAllListeners('error');
    const slot = options.tlsSession;
    const offered = slot?.offer();
    const secured = connectTls({ socket: plain, servername: options.domain, ...trustOptions(options.ca), ...(offered === undefined ? {} : { session: offered }) });
    // TLS 1.3 tickets arrive after the handshake; the newest one is offered next time.
    if (slot !== undefined) secured.on('session', (session: Buffer) => slot.keep(session));
    this.#socket = secured;
    this.#attach(secured);
    this.#splitter.reset();
    await waitForConnection(secured, 'secureConnect', this.#timeoutMs);
    this.tlsResumed = secured.isSessionReused();
  }

  #attach(socket: Socket): void {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      if (this.#rawConsumer !== undefined) this.#rawConsumer(chunk);
      else this.#splitter.write(chunk);
    });
    socket.on('error', (error) => this.#end(`socket error: ${error.message}`));
    socket.on('close', () => {
      this.#end('connection closed');
      this.#resolveClosed();
    });
  }

  #receive(received: Received): void {
    if (received.name === 'stream:error') this.#end(`stream error: ${received.xml}`);
    this.#inbox.deliver(received, this.onStanza);
  }

  /** Records the first reason the stream ended and tells whoever waits. */
  #end(reason: string): void {
    if (this.#inbox.end(reason) && !this.#closing) this.onEnd?.(reason);
  }
}

/**
 * One TLS context per trusted certificate, shared by every connection: `tls.connect({ ca })` builds
 * a new context (and parses the PEM into a new trust store) per connection, which cost the load
 * generator more than the server's whole handshake.
 */
const trustContexts = new Map<string, SecureContext>();
let acceptAnyContext: SecureContext | undefined;

/** Verify against `ca`, or accept any certificate (see `LoginOptions.ca`), with a shared context. */
function trustOptions(ca: string | undefined): { secureContext: SecureContext; rejectUnauthorized: boolean } {
  if (ca === undefined) return { secureContext: (acceptAnyContext ??= createSecureContext()), rejectUnauthorized: false };
  return { secureContext: trustContext(ca), rejectUnauthorized: true };
}

function trustContext(ca: string): SecureContext {
  let context = trustContexts.get(ca);
  if (context === undefined) {
    context = createSecureContext({ ca });
    // A run trusts one or two certificates; the bound only guards against misuse.
    if (trustContexts.size >= 16) trustContexts.clear();
    trustContexts.set(ca, context);
  }
  return context;
}

async function openSocket(options: LoginOptions, timeoutMs: number): Promise<Socket> {
  if (options.tls === 'direct') {
    // XEP-0368 §3: Direct TLS clients announce `xmpp-client` over ALPN.
    const socket: TLSSocket = connectTls({
      host: options.host, port: options.port, servername: options.domain, ...trustOptions(options.ca), ALPNProtocols: ['xmpp-client'],
      ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
    });
    await waitForConnection(socket, 'secureConnect', timeoutMs);
    return socket;
  }
  const socket = connectTcp({ host: options.host, port: options.port, ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }) });
  await waitForConnection(socket, 'connect', timeoutMs);
  return socket;
}

function waitForConnection(socket: Socket, event: 'connect' | 'secureConnect', timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${event} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    const onError = (error: Error): void => {
      clearTimeout(timer);
      reject(error);
    };
    socket.once('error', onError);
    socket.once(event, () => {
      clearTimeout(timer);
      socket.off('error', onError);
      resolve();
    });
  });
}
