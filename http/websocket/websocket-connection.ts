/**
 * A client stream over WebSocket (RFC 7395): each message is one complete element, parsed on
 * its own; `<open/>` and `<close/>` in the framing namespace open and end the stream. The
 * negotiation itself is the shared `XmppStream`: this class only moves framed elements.
 */
import type { RawData, WebSocket } from 'ws';
import { StreamError } from '../../server/errors/index.js';
import type { OutboundXml } from '../../server/session/index.js';
import type { XmppStream } from '../../server/stream/index.js';
import { escapeAttr, moveToNamespace, NS, parseXmlFragment, type XmlLimits } from '../../server/xml/index.js';
import { framedText, isStreamErrorText, WebClientConnection } from '../web-clients/web-client-connection.js';

/** How long the peer gets to answer our `<close/>` (RFC 7395 §3.6), then the close handshake. */
const CLOSE_GRACE_MS = 2_000;
/** RFC 6455 §7.4.1: normal closure. */
const NORMAL_CLOSURE = 1000;

export interface WebSocketConnectionOptions {
  readonly remoteAddress: string;
  readonly secure: boolean;
  readonly limits: XmlLimits;
  /** 0 disables keepalive pings. */
  readonly pingIntervalMs: number;
}

/**
 * Room for a message somewhat over the stanza limit, so that it gets the parser's policy-violation
 * stream error; `ws` refuses a larger one as soon as its frame header announces it (1009).
 */
const FRAME_ALLOWANCE = 2;

/**
 * Sets the largest message `ws` accepts on this connection. `ws` takes it from its server's
 * `maxPayload` when the connection opens and keeps it on the connection's frame reader, which
 * checks every frame header against it before reading the payload; the server-wide value is the
 * authenticated limit, and a client that has not authenticated gets far less (RFC 6120 §13.12:
 * unauthenticated entities get tight limits). Should a later `ws` keep it elsewhere, messages
 * are still measured before they are parsed (`parseXmlFragment`), only buffered up to the
 * server-wide bound first; the WebSocket tests notice the difference.
 */
function setFrameLimit(socket: WebSocket, bytes: number): void {
  const receiver = (socket as unknown as { _receiver?: { _maxPayload?: unknown } | null })._receiver;
  if (receiver !== undefined && receiver !== null && typeof receiver._maxPayload === 'number') receiver._maxPayload = bytes;
}

function textOf(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

export class WebSocketConnection extends WebClientConnection {
  readonly #socket: WebSocket;
  #stream: XmppStream | undefined;
  /** We sent `<close/>`: nothing more goes out. */
  #ending = false;
  /** The peer sent `<close/>`. */
  #peerClosed = false;
  /** A stream error went out: no point waiting for the peer's `<close/>`. */
  #errored = false;
  #alive = true;
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(socket: WebSocket, options: WebSocketConnectionOptions) {
    super('WebSocket', options.remoteAddress, options.secure, options.limits);
    this.#socket = socket;
    setFrameLimit(socket, this.inputLimits.maxStanzaBytes * FRAME_ALLOWANCE);
    socket.on('message', this.#onMessage);
    socket.on('pong', () => {
      this.#alive = true;
    });
    socket.on('error', (error) => this.#stream?.logger.debug({ err: error }, 'WebSocket error'));
    socket.once('close', this.#onClose);
    if (options.pingIntervalMs > 0) this.#every(options.pingIntervalMs, this.#keepalive);
  }

  /** Connects the stream that consumes this connection's input. */
  attach(stream: XmppStream): void {
    this.#stream = stream;
  }

  get bufferedBytes(): number {
    return this.#socket.bufferedAmount;
  }

  openStream(attrs: Record<string, string>): void {
    let open = `<open xmlns='${NS.framing}'`;
    for (const name in attrs) {
      const value = attrs[name];
      if (value !== undefined) open += ` ${name}='${escapeAttr(value)}'`;
    }
    this.write(`${open}/>`);
  }

  write(outbound: OutboundXml): boolean {
    if (this.#ending || this.#socket.readyState !== this.#socket.OPEN) return false;
    // RFC 7395 §3.3.3: one element per message, each declaring its namespace: framed as text.
    const framed = framedText(outbound);
    if (isStreamErrorText(framed)) this.#errored = true;
    this.#socket.send(framed);
    return true;
  }

  /** RFC 7395 §3.6: `<close/>`, then the server closes the WebSocket once both sides have closed. */
  closeStream(): void {
    if (this.#ending) return;
    this.write(`<close xmlns='${NS.framing}'/>`);
    this.#ending = true;
    if (this.#peerClosed || this.#errored) this.#closeSocket();
    else this.#after(CLOSE_GRACE_MS, () => this.#closeSocket());
  }

  override setInputLimits(limits: Partial<XmlLimits>): void {
    super.setInputLimits(limits);
    setFrameLimit(this.#socket, this.inputLimits.maxStanzaBytes * FRAME_ALLOWANCE);
  }

  /** ws's own pause: it stops reading the socket; messages already read may still arrive. */
  pauseInput(): void {
    this.#socket.pause();
  }

  resumeInput(): void {
    this.#socket.resume();
  }

  destroy(): void {
    this.#socket.terminate();
  }

  readonly #onMessage = (data: RawData, isBinary: boolean): void => {
    this.#alive = true;
    const stream = this.#stream;
    if (stream === undefined || (stream.closed && !this.#ending)) return;
    // RFC 7395 §3.2: XMPP travels in text messages only.
    if (isBinary) return stream.inputFailed(new StreamError('not-well-formed', 'Binary WebSocket messages are not XMPP'));
    const parsed = parseXmlFragment(textOf(data), this.inputLimits);
    if (!parsed.ok) return stream.inputFailed(parsed.error);
    const { element, uri, local } = parsed.value;
    if (uri === NS.framing && local === 'close') return this.#onPeerClose(stream);
    if (this.#ending) return;
    if (uri === NS.framing && local === 'open') {
      return stream.streamOpened({ name: element.name, local, uri, attrs: element.attrs as Record<string, string> });
    }
    // RFC 7395 §3.3.3 wants `jabber:client` declared on each stanza; like Prosody, an element
    // without any namespace is taken to be in the stream's content namespace.
    if (uri === '') {
      moveToNamespace(element, NS.client);
      return stream.elementReceived(element, NS.client, local);
    }
    stream.elementReceived(element, uri, local);
  };

  #onPeerClose(stream: XmppStream): void {
    this.#peerClosed = true;
    // Our own `<close/>` is out already: both sides are done (RFC 7395 §3.6).
    if (this.#ending) this.#closeSocket();
    else stream.streamEnded();
  }

  readonly #onClose = (): void => {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#socket.off('message', this.#onMessage);
    this.#stream?.transportClosed();
  };

  /** RFC 7395 §3.8: WebSocket pings; a peer that did not answer the previous one is gone. */
  readonly #keepalive = (): void => {
    // While reading is paused a pong cannot be read: the peer is not the one that is slow.
    if (this.#socket.isPaused) return;
    if (!this.#alive) {
      this.#stream?.logger.info('WebSocket keepalive: no answer to the last ping');
      this.#socket.terminate();
      return;
    }
    this.#alive = false;
    this.#socket.ping();
  };

  #closeSocket(): void {
    this.#socket.close(NORMAL_CLOSURE);
    // A peer that never answers the close frame is cut off after the grace period.
    this.#after(CLOSE_GRACE_MS, () => this.#socket.terminate());
  }

  #after(ms: number, callback: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      callback();
    }, ms);
    timer.unref();
    this.#timers.add(timer);
  }

  #every(ms: number, callback: () => void): void {
    const timer = setInterval(callback, ms);
    timer.unref();
    this.#timers.add(timer);
  }
}
