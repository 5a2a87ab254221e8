/**
 * One client-to-server XML stream (RFC 6120): header checks, STARTTLS, SASL, resource binding,
 * then stanzas to the router. Transport-agnostic: it reads parsed input events and writes through
 * a `StreamConnection`. Input is processed strictly in order; when handling a stanza has to wait
 * (SASL, a pre-join check, a roster fetch) later input from this stream waits too, never others'.
 * What waits is bounded (`InputQueue`): when it is full the transport stops reading.
 */
import type { Element } from 'ltx';
import { StreamError } from '../errors/index.js';
import { lazyChild, type Logger } from '../log/index.js';
import type { OutboundXml } from '../session/index.js';
import { NS, type StreamOpen } from '../xml/index.js';
import type { C2sEnvironment } from './c2s-environment.js';
import { acceptStreamHeader, type HeaderRules } from './stream-header.js';
import { streamErrorXml } from './stream-error-xml.js';
import type { StreamConnection } from './stream-connection.js';
import { SaslNegotiation } from './sasl-negotiation.js';
import { buildFeatures } from './stream-features.js';
import { bindResource } from './resource-binding.js';
import { handleClientStanza } from './client-stanza.js';
import type { C2sSession } from './c2s-session.js';
import { handleRegistration } from './in-band-registration.js';
import { InputQueue } from './input-queue.js';
import { ELEMENT_NODE_BYTES, estimateElementBytes } from './input-size.js';

type Phase = 'initial' | 'authenticated' | 'bound';
type Input =
  | { kind: 'open'; open: StreamOpen }
  | { kind: 'element'; element: Element; uri: string; local: string }
  | { kind: 'close' };

export class XmppStream {
  readonly id: string;
  readonly logger: Logger;
  readonly #env: C2sEnvironment;
  readonly #connection: StreamConnection;
  readonly #rules: Omit<HeaderRules, 'isServedHost'>;
  readonly #framed: boolean;
  #phase: Phase = 'initial';
  #awaitingHeader = true;
  #headerSent = false;
  #host: string | undefined;
  #username: string | undefined;
  #sasl: SaslNegotiation | undefined;
  #session: C2sSession | undefined;
  #closed = false;
  #busy = false;
  readonly #queue: InputQueue<Input>;
  /** Reading from the transport stopped because the input queue is full. */
  #inputPaused = false;
  #timeout: NodeJS.Timeout | undefined;

  constructor(env: C2sEnvironment, connection: StreamConnection, rules: Omit<HeaderRules, 'isServedHost'>, framed: boolean) {
    this.#env = env;
    this.#connection = connection;
    this.#rules = rules;
    this.#framed = framed;
    this.#queue = new InputQueue({ stanzas: env.limits.pendingStanzas, bytes: env.limits.inputQueueBytes });
    this.id = env.nextId();
    this.logger = lazyChild(env.logger, () => ({ stream: this.id, remote: connection.remoteAddress }));
    this.#startTimeout();
  }

  get closed(): boolean {
    return this.#closed;
  }

  get secure(): boolean {
    return this.#connection.secure;
  }

  get session(): C2sSession | undefined {
    return this.#session;
  }

  // ---- input from the transport -------------------------------------------------------------

  streamOpened(open: StreamOpen): void {
    this.#push({ kind: 'open', open });
  }

  elementReceived(element: Element, uri: string, local: string): void {
    this.#push({ kind: 'element', element, uri, local });
  }

  streamEnded(): void {
    this.#push({ kind: 'close' });
  }

  /** A parse error or a limit: fatal for this stream only. */
  inputFailed(error: StreamError): void {
    this.close(error);
  }

  /** The transport is gone (socket closed or reset): no more output is possible. */
  transportClosed(): void {
    if (!this.#closed) this.logger.debug('connection lost');
    this.#finish(undefined);
  }

  // ---- output --------------------------------------------------------------------------------

  /**
   * Writes a serialised top-level element; disconnects a reader that lets too much pile up. The
   * session's way out too (`SessionOutput`).
   */
  write(xml: OutboundXml): boolean {
    if (this.#closed) return false;
    if (this.#connection.bufferedBytes > this.#env.limits.sendQueueBytes) {
      this.logger.warn({ buffered: this.#connection.bufferedBytes }, 'slow reader: send queue limit reached');
      this.#connection.destroy();
      this.#finish(new StreamError('policy-violation', 'Send queue limit reached'));
      return false;
    }
    return this.#connection.write(xml);
  }

  /**
   * Drops the connection without a closing tag or stream error; the transport then reports the
   * loss (`transportClosed`) and the session ends as after a network failure.
   */
  abort(): void {
    if (!this.#closed) this.#connection.destroy();
  }

  /** Ends the stream, with a stream error when given (RFC 6120 §4.4, §4.9.1). */
  close(error?: StreamError): void {
    if (this.#closed) return;
    if (error !== undefined) {
      if (!this.#headerSent) this.#sendHeader({});
      this.logger.info({ condition: error.condition, text: error.text }, 'stream error');
      this.#connection.write(streamErrorXml(error, this.#framed));
    }
    this.#connection.closeStream();
    this.#finish(error);
  }

  // ---- processing --------------------------------------------------------------------------

  #push(input: Input): void {
    if (this.#closed) return;
    if (this.#busy) {
      this.#queue.push(input, input.kind === 'element' ? estimateElementBytes(input.element) : ELEMENT_NODE_BYTES);
      if (this.#queue.isOverflowing) {
        this.close(new StreamError('policy-violation', 'Too much input waiting'));
      } else if (this.#queue.isFull && !this.#inputPaused) {
        this.#inputPaused = true;
        this.#connection.pauseInput();
        this.logger.debug({ stanzas: this.#queue.length, bytes: this.#queue.bytes }, 'input queue full: reading paused');
      }
      return;
    }
    this.#run(input);
  }

  #run(input: Input): void {
    let pending: Promise<void> | void;
    try {
      pending = this.#process(input);
    } catch (error) {
      this.#crash(error);
      return;
    }
    if (pending === undefined) return;
    this.#busy = true;
    pending.then(
      () => this.#drain(),
      (error: unknown) => this.#crash(error),
    );
  }

  #drain(): void {
    this.#busy = false;
    while (!this.#busy && !this.#closed) {
      const next = this.#queue.shift();
      if (next === undefined) break;
      this.#run(next);
    }
    if (this.#inputPaused && !this.#closed && this.#queue.hasRoom) {
      this.#inputPaused = false;
      const peakBytes = this.#queue.takePeakBytes();
      this.logger.debug({ stanzas: this.#queue.length, bytes: this.#queue.bytes, peakBytes }, 'input queue drained: reading resumed');
      this.#connection.resumeInput();
    }
  }

  /** A bug in stream code: `internal-server-error` for this stream, everyone else carries on. */
  #crash(error: unknown): void {
    this.#busy = false;
    this.logger.error({ err: error }, 'stream handler failed');
    this.close(new StreamError('internal-server-error'));
  }

  #process(input: Input): Promise<void> | void {
    if (input.kind === 'close') {
      this.close();
      return;
    }
    if (input.kind === 'open') return this.#onOpen(input.open);
    if (this.#awaitingHeader) return this.close(new StreamError('not-authorized', 'Stream not open'));
    if (this.#phase === 'bound') return this.#onStanza(input.element, input.uri, input.local);
    return this.#onNegotiation(input.element, input.uri);
  }

  #onOpen(open: StreamOpen): void {
    if (!this.#awaitingHeader) return this.close(new StreamError('invalid-xml', 'Unexpected stream header'));
    const accepted = acceptStreamHeader(open, { ...this.#rules, isServedHost: (d) => this.#env.userHost(d) !== undefined });
    if (accepted instanceof StreamError) return this.close(accepted);
    if (this.#host !== undefined && accepted.to !== this.#host) return this.close(new StreamError('host-unknown', 'Host changed on restart'));
    this.#host = accepted.to;
    this.#awaitingHeader = false;
    this.#sendHeader({ from: accepted.to });
    const host = this.#env.userHost(accepted.to)!;
    this.#sasl ??= new SaslNegotiation(this.#env, this.#connection, accepted.to, this.logger);
    const features = buildFeatures({
      host,
      policy: this.#env.policy(accepted.to),
      phase: this.#phase === 'initial' ? 'initial' : 'authenticated',
      secure: this.#connection.secure,
      canStartTls: this.#connection.canStartTls,
      mechanisms: () => this.#sasl!.mechanisms(),
      framed: this.#framed,
    });
    this.#connection.write(features);
  }

  #sendHeader(attrs: Record<string, string>): void {
    this.#headerSent = true;
    this.#connection.openStream({ id: this.id, version: '1.0', 'xml:lang': 'en', ...attrs });
  }

  #onNegotiation(element: Element, uri: string): Promise<void> | void {
    if (this.#phase === 'initial') {
      if (uri === NS.tls && element.name === 'starttls') return this.#startTls();
      if (uri === NS.sasl) return this.#onSasl(element);
      // XEP-0077: in-band registration is the one stanza allowed before authentication, when enabled.
      if (element.name === 'iq' && uri === NS.client && this.#env.policy(this.#host!).allowRegistration) {
        const peer = { host: this.#host!, secure: this.#connection.secure, address: this.#connection.remoteAddress };
        return handleRegistration(this.#env, peer, element, this);
      }
      // RFC 6120 §6.4.1 / §5.3.1: nothing but negotiation before authentication.
      return this.close(new StreamError('not-authorized'));
    }
    if (uri === NS.client && element.name === 'iq') return this.#onBind(element);
    return this.close(new StreamError('not-authorized', 'Bind a resource first'));
  }

  async #startTls(): Promise<void> {
    if (!this.#connection.canStartTls) {
      this.#connection.write(`<failure xmlns='${NS.tls}'/>`);
      this.#connection.closeStream();
      this.#finish(undefined);
      return;
    }
    this.#connection.write(`<proceed xmlns='${NS.tls}'/>`);
    this.#awaitingHeader = true;
    try {
      await this.#connection.startTls();
    } catch (error) {
      this.logger.info({ err: error }, 'TLS handshake failed');
      this.#connection.destroy();
      this.#finish(undefined);
      return;
    }
    this.#connection.resetInput();
  }

  async #onSasl(element: Element): Promise<void> {
    const policy = this.#env.policy(this.#host!);
    if (policy.requireEncryption && !this.#connection.secure) {
      this.#connection.write(`<failure xmlns='${NS.sasl}'><encryption-required/></failure>`);
      return this.close(new StreamError('policy-violation', 'Encryption is required'));
    }
    const outcome = await this.#sasl!.handle(element);
    if (this.#closed) return;
    const host = this.#env.userHost(this.#host!)!;
    if (outcome.kind === 'success') {
      this.#username = outcome.username;
      this.#phase = 'authenticated';
      this.#awaitingHeader = true;
      // An authenticated stream that never binds holds a connection slot and a login for nothing:
      // it gets `c2s_timeout` again to bind (Prosody's c2s_timeout covers authentication only).
      this.#startTimeout();
      this.#connection.resetInput();
      this.#connection.setInputLimits({ maxStanzaBytes: this.#env.limits.stanzaBytes });
      this.logger.info({ user: outcome.username, mechanism: outcome.mechanism }, 'authenticated');
      host.hooks.notify('authentication-success', { username: outcome.username, host, mechanism: outcome.mechanism });
      return;
    }
    if (outcome.kind === 'failure') {
      host.hooks.notify('authentication-failure', { username: outcome.username, host, mechanism: outcome.mechanism, condition: outcome.failure.condition });
      if (this.#sasl!.exhausted) {
        this.close(new StreamError('policy-violation', 'Too many failed authentication attempts'));
      }
    }
  }

  #onBind(element: Element): void {
    const result = bindResource(this.#env, {
      request: element,
      host: this.#host!,
      username: this.#username!,
      output: this,
      logger: this.logger,
    });
    if (result !== undefined) {
      this.#clearTimeout();
      this.#session = result;
      this.#phase = 'bound';
    }
  }

  #onStanza(element: Element, uri: string, local: string): Promise<void> | void {
    return handleClientStanza(this.#env, this.#session!, this, element, uri, local);
  }

  /** Closes the stream with `connection-timeout` unless it is bound within `c2s_timeout`. */
  #startTimeout(): void {
    this.#clearTimeout();
    this.#timeout = setTimeout(() => this.close(new StreamError('connection-timeout')), this.#env.limits.unauthedTimeoutMs);
    this.#timeout.unref();
  }

  #clearTimeout(): void {
    if (this.#timeout !== undefined) clearTimeout(this.#timeout);
    this.#timeout = undefined;
  }

  /** Releases everything once; the bound session (if any) leaves the registry. */
  #finish(error: StreamError | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#clearTimeout();
    this.#queue.clear();
    const session = this.#session;
    if (session !== undefined && this.#env.sessions.remove(session)) {
      const host = this.#env.userHost(session.jid.domain);
      if (host !== undefined) host.hooks.notify('resource-unbind', { session, host, error });
    }
    this.#env.streamClosed(this);
  }
}
