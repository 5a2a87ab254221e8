/**
 * A client stream over TCP, with STARTTLS, or over Direct TLS (XEP-0368): bytes in through the
 * XML parser, serialised stanzas out. Output written in one turn of the event loop leaves in one write.
 */
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { StreamError } from '../errors/index.js';
import { streamHeader, XmlStreamParser, type XmlLimits } from '../xml/index.js';
import type { ChannelBindingType, StreamConnection, XmppStream } from '../stream/index.js';
import type { OutboundXml } from '../session/index.js';
import { OutputBatch } from './output-batch.js';
import type { TlsContextSource } from './tls-context-source.js';

/** How long a closing peer gets to send its own `</stream:stream>` before the socket is dropped. */
const CLOSE_GRACE_MS = 2000;
const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;

export class TcpConnection implements StreamConnection {
  readonly remoteAddress: string;
  #socket: Socket;
  #tls: TLSSocket | undefined;
  #stream: XmppStream | undefined;
  readonly #parser: XmlStreamParser;
  readonly #tlsSource: TlsContextSource | undefined;
  /** Output written in this turn of the event loop, sent in one socket write after it. */
  readonly #output = new OutputBatch((chunk) => {
    if (!this.#socket.destroyed) this.#socket.write(chunk);
  });
  #ending = false;

  constructor(socket: Socket, limits: XmlLimits, tlsSource: TlsContextSource | undefined) {
    this.#socket = socket;
    this.remoteAddress = socket.remoteAddress ?? 'unknown';
    this.#tls = socket instanceof TLSSocket ? socket : undefined;
    this.#tlsSource = tlsSource;
    this.#parser = new XmlStreamParser(
      {
        onStreamOpen: (open) => this.#stream?.streamOpened(open),
        onStanza: (element, uri, local) => this.#stream?.elementReceived(element, uri, local),
        onStreamClose: () => this.#stream?.streamEnded(),
        onError: (error) => this.#stream?.inputFailed(error),
      },
      limits,
    );
    socket.setNoDelay(true);
    this.#listen(socket);
  }

  /** Connects the stream that consumes this connection's input. */
  attach(stream: XmppStream): void {
    this.#stream = stream;
  }

  get secure(): boolean {
    return this.#tls !== undefined;
  }

  get canStartTls(): boolean {
    return this.#tls === undefined && this.#tlsSource !== undefined;
  }

  get bufferedBytes(): number {
    return this.#socket.writableLength + this.#output.length;
  }

  openStream(attrs: Record<string, string>): void {
    this.write(streamHeader(attrs));
  }

  write(xml: OutboundXml): boolean {
    if (this.#socket.destroyed || this.#ending) return false;
    this.#output.add(xml);
    return true;
  }

  closeStream(): void {
    if (this.#ending) return;
    this.write('</stream:stream>');
    this.#output.flush();
    this.#ending = true;
    const socket = this.#socket;
    socket.end();
    // A peer that never closes its side is dropped after a grace period; the timer goes away with
    // the socket so a closed connection is not kept alive by it.
    const timer = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  }

  resetInput(): void {
    this.#parser.reset();
  }

  setInputLimits(limits: Partial<XmlLimits>): void {
    this.#parser.setLimits(limits);
  }

  /** TCP back-pressure: unread bytes stay in the kernel and the peer's window closes. */
  pauseInput(): void {
    this.#socket.pause();
  }

  resumeInput(): void {
    this.#socket.resume();
  }

  async startTls(): Promise<void> {
    const source = this.#tlsSource;
    if (source === undefined || this.#tls !== undefined) throw new Error('STARTTLS is not available');
    // `<proceed/>` must leave in clear text before the handshake takes the socket over.
    this.#output.flush();
    const plain = this.#socket;
    this.#unlisten(plain);
    const secured = new TLSSocket(plain, { ...source.serverOptions(), isServer: true });
    this.#socket = secured;
    this.#tls = secured;
    this.#listen(secured);
    await new Promise<void>((resolve, reject) => {
      const settle = (error: Error | undefined): void => {
        clearTimeout(timer);
        secured.off('secure', onSecure).off('error', onError).off('close', onClose);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onSecure = (): void => settle(undefined);
      const onError = (error: Error): void => settle(error);
      // A peer that rejects our certificate may just hang up, with no 'error' on our side: the
      // timer must not outlive the socket, or it keeps a stopped server's process alive.
      const onClose = (): void => settle(new Error('connection closed during the TLS handshake'));
      const timer = setTimeout(() => settle(new Error('TLS handshake timed out')), TLS_HANDSHAKE_TIMEOUT_MS);
      secured.once('secure', onSecure);
      secured.once('error', onError);
      secured.once('close', onClose);
    });
  }

  channelBinding(type: ChannelBindingType): Buffer | undefined {
    const tls = this.#tls;
    // RFC 9266: tls-exporter is defined for TLS 1.3 (and 1.2 only with extended master secret,
    // which Node cannot tell us), so it is only offered on TLS 1.3.
    if (type !== 'tls-exporter' || tls === undefined || tls.getProtocol() !== 'TLSv1.3') return undefined;
    return tls.exportKeyingMaterial(32, 'EXPORTER-Channel-Binding', Buffer.alloc(0));
  }

  destroy(): void {
    this.#output.clear();
    this.#socket.destroy();
  }

  readonly #onData = (chunk: Buffer): void => {
    try {
      this.#parser.write(chunk);
    } catch (error) {
      this.#stream?.logger.error({ err: error }, 'parser failed');
      this.#stream?.inputFailed(new StreamError('internal-server-error'));
    }
  };

  readonly #onError = (error: Error): void => {
    this.#stream?.logger.debug({ err: error }, 'socket error');
  };

  readonly #onClose = (): void => {
    this.#stream?.transportClosed();
  };

  #listen(socket: Socket): void {
    socket.on('data', this.#onData);
    socket.on('error', this.#onError);
    socket.on('close', this.#onClose);
  }

  /** Detaches only this connection's listeners (others, like the address counter's, stay). */
  #unlisten(socket: Socket): void {
    socket.off('data', this.#onData);
    socket.off('error', this.#onError);
    socket.off('close', this.#onClose);
  }
}
