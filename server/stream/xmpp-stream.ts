/**
 * One client-to-server XML stream (RFC 6120): header checks, STARTTLS, SASL, resource binding,
 * then stanzas to the router. Transport-agnostic: it reads parsed input events and writes through
 * a `StreamConnection`. Input is processed strictly in order; when handling a stanza has to wait
 * (SASL, a pre-join check, a roster fetch) later input from this stream waits too, never others'.
 * What waits is bounded (`InputQueue`): when it is full the transport stops reading. The one
 * exception: a message that only waits for its archive commit lets later messages start, and
 * their deliveries follow it (`input-release.ts`).
 */
import type { Element } from 'ltx';
import { StreamError } from '../errors/index.js';
import { lazyChild, type Logger } from '../log/index.js';
import type { OutboundXml, SessionTransport } from '../session/index.js';
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
import { attachInput, detachInput, inputOf, type ReleasableInput } from './input-release.js';
import { endSession } from './session-end.js';
import {
  ackXml, failedXml, handleAck, handleEnable, HibernatedOutput, parseH, resumedXml, resumptionRegistryOf,
} from './stream-management/index.js';

type Phase = 'initial' | 'authenticated' | 'bound';
type Input =
  | { kind: 'open'; open: StreamOpen }
  | { kind: 'element'; element: Element; uri: string; local: string }
  | { kind: 'close' };

/** A message being handled, which may let the stream go on before it is done (`input-release.ts`). */
interface Running {
  readonly element: Element;
  /** The stanzas in flight when it started, all handled; undefined when there were none. */
  readonly before: Promise<void> | undefined;
  released: boolean;
  /** Its estimated size while held (`InputQueue.hold`). */
  bytes: number;
}

export class XmppStream {
  readonly id: string;
  readonly logger: Logger;
  /** The transport this stream came over (reported with its session, never consulted). */
  readonly transport: SessionTransport;
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
  /** The client closed its stream (`</stream:stream>`, `<close/>`). */
  #peerClosed = false;
  /** A stanza is being handled and later input waits for it. */
  #busy = false;
  /** The message being handled while it may still be released. */
  #current: Running | undefined;
  /** Settles once every stanza started so far has been handled; undefined when none is in flight. */
  #tail: Promise<void> | undefined;
  readonly #queue: InputQueue<Input>;
  /** Reading from the transport stopped because the input queue is full. */
  #inputPaused = false;
  #timeout: NodeJS.Timeout | undefined;

  constructor(
    env: C2sEnvironment,
    connection: StreamConnection,
    rules: Omit<HeaderRules, 'isServedHost'>,
    framed: boolean,
    transport: SessionTransport,
  ) {
    this.#env = env;
    this.transport = transport;
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

  /** The client's address: the TCP peer, or the proxy-forwarded address the web transports resolved. */
  get clientAddress(): string {
    return this.#connection.remoteAddress;
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
    // Known at once, not when the close is processed: a connection that goes away meanwhile was
    // closed on purpose, and its session ends instead of hibernating.
    this.#peerClosed = true;
    this.#push({ kind: 'close' });
  }

  /** A parse error or a limit: fatal for this stream only. */
  inputFailed(error: StreamError): void {
    this.close(error);
  }

  /** The transport is gone (socket closed or reset): no more output is possible. */
  transportClosed(): void {
    if (!this.#closed) this.logger.debug('connection lost');
    this.#finish(undefined, true);
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
      this.#finish(new StreamError('policy-violation', 'Send queue limit reached'), false);
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

  /**
   * Ends the stream, with a stream error when given (RFC 6120 §4.4, §4.9.1); `appSpecific` is an
   * application-specific condition for the error, serialised.
   */
  close(error?: StreamError, appSpecific?: string): void {
    if (this.#closed) return;
    // XEP-0198 §4: a last `<a/>` tells the client which of its stanzas were handled.
    const sm = this.#session?.streamManagement;
    if (sm !== undefined && this.#session!.output === this) this.#connection.write(sm.finalAck());
    if (error !== undefined) {
      if (!this.#headerSent) this.#sendHeader({});
      this.logger.info({ condition: error.condition, text: error.text }, 'stream error');
      this.#connection.write(streamErrorXml(error, this.#framed, appSpecific));
    }
    this.#connection.closeStream();
    this.#finish(error, false);
  }

  // ---- processing --------------------------------------------------------------------------

  #push(input: Input): void {
    if (this.#closed) return;
    if (this.#queue.length === 0 && this.#mayStart(input)) {
      this.#run(input);
      return;
    }
    this.#queue.push(input, input.kind === 'element' ? estimateElementBytes(input.element) : ELEMENT_NODE_BYTES);
    if (this.#queue.isOverflowing) {
      this.close(new StreamError('policy-violation', 'Too much input waiting'));
    } else if (this.#queue.isFull && !this.#inputPaused) {
      this.#inputPaused = true;
      this.#connection.pauseInput();
      this.logger.debug({ stanzas: this.#queue.length, held: this.#queue.held, bytes: this.#queue.bytes }, 'input queue full: reading paused');
    }
  }

  /**
   * Whether `input` may start now: nothing is being handled, and either nothing is in flight or
   * it is a message (its delivery then follows the earlier ones: `input-release.ts`) and the
   * queue's bounds allow one more held stanza.
   */
  #mayStart(input: Input): boolean {
    if (this.#busy) return false;
    if (this.#tail === undefined) return true;
    return input.kind === 'element' && input.local === 'message' && input.uri === NS.client && this.#phase === 'bound' && this.#queue.mayHold;
  }

  #run(input: Input): void {
    const before = this.#tail;
    // Counted for XEP-0198 once handled, after every stanza before it (`#handled`).
    const counted = this.#phase === 'bound' && input.kind === 'element' && input.uri === NS.client ? this.#session : undefined;
    let running: Running | undefined;
    if (counted !== undefined && input.kind === 'element' && input.local === 'message') {
      running = { element: input.element, before, released: false, bytes: 0 };
      this.#current = running;
    }
    let pending: Promise<void> | void;
    try {
      pending = this.#process(input);
    } catch (error) {
      this.#current = undefined;
      this.#crash(error);
      return;
    }
    if (pending === undefined && before === undefined && running?.released !== true) {
      // Handled at once with nothing in flight: the usual way.
      this.#current = undefined;
      counted?.streamManagement?.received();
      return;
    }
    // Handled at once, to be counted after the stanzas in flight: nothing left to release.
    if (pending === undefined && this.#current === running) this.#current = undefined;
    // Later input waits for this stanza, unless it is released (`#input.release`, maybe already done).
    const holding = pending !== undefined && running?.released !== true;
    if (holding) this.#busy = true;
    const handled: Promise<unknown> = pending === undefined ? (before ?? Promise.resolve()) : before === undefined ? pending : pending.then(() => before);
    const done: Promise<void> = handled.then(
      () => this.#handled(running, holding, counted, done),
      (error: unknown) => {
        this.#crash(error);
        this.#handled(running, holding, undefined, done);
      },
    );
    this.#tail = done;
  }

  /** A stanza and every one before it have been handled. */
  #handled(running: Running | undefined, holding: boolean, counted: C2sSession | undefined, done: Promise<void>): void {
    if (running !== undefined && this.#current === running) this.#current = undefined;
    if (running?.released === true) this.#queue.letGo(running.bytes);
    else if (holding) this.#busy = false;
    counted?.streamManagement?.received();
    if (this.#tail === done) this.#tail = undefined;
    this.#drain();
  }

  #drain(): void {
    while (!this.#closed) {
      const next = this.#queue.peek();
      if (next === undefined || !this.#mayStart(next)) break;
      this.#queue.shift();
      this.#run(next);
    }
    if (this.#inputPaused && !this.#closed && this.#queue.hasRoom) {
      this.#inputPaused = false;
      const peakBytes = this.#queue.takePeakBytes();
      this.logger.debug({ stanzas: this.#queue.length, held: this.#queue.held, bytes: this.#queue.bytes, peakBytes }, 'input queue drained: reading resumed');
      this.#connection.resumeInput();
    }
  }

  /** How a message's handler lets this stream go on (`input-release.ts`). */
  readonly #input: ReleasableInput = {
    release: (stanza) => {
      const running = this.#current;
      if (running === undefined || running.element !== stanza) return undefined;
      this.#current = undefined;
      running.released = true;
      running.bytes = estimateElementBytes(stanza);
      this.#queue.hold(running.bytes);
      if (this.#busy) {
        this.#busy = false;
        // Not from inside the releasing handler: the next stanza starts once it has returned.
        queueMicrotask(() => this.#drain());
      }
      return running.before;
    },
    earlier: (stanza) => (this.#current?.element === stanza ? this.#current.before : undefined),
    inFlight: () => this.#tail,
  };

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
    if (this.#phase === 'bound') {
      if (input.uri === NS.sm) return this.#onStreamManagement(input.element);
      // XEP-0198 §4: only stanzas count (`#run`), not other top-level elements (CSI's `<active/>`, …).
      return this.#onStanza(input.element, input.uri, input.local);
    }
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
    if (uri === NS.sm && element.name === 'resume') return this.#onResume(element);
    if (uri === NS.sm && element.name === 'enable') {
      this.#connection.write(failedXml('unexpected-request'));
      return;
    }
    return this.close(new StreamError('not-authorized', 'Bind a resource first'));
  }

  async #startTls(): Promise<void> {
    if (!this.#connection.canStartTls) {
      this.#connection.write(`<failure xmlns='${NS.tls}'/>`);
      this.#connection.closeStream();
      this.#finish(undefined, false);
      return;
    }
    this.#connection.write(`<proceed xmlns='${NS.tls}'/>`);
    this.#awaitingHeader = true;
    try {
      await this.#connection.startTls();
    } catch (error) {
      this.logger.info({ err: error }, 'TLS handshake failed');
      this.#connection.destroy();
      this.#finish(undefined, false);
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
      attachInput(result, this.#input);
    }
  }

  #onStanza(element: Element, uri: string, local: string): Promise<void> | void {
    return handleClientStanza(this.#env, this.#session!, this, element, uri, local);
  }

  // ---- stream management (XEP-0198) -----------------------------------------------------------

  /** How the stream management answers reach this stream. */
  readonly #smSide = {
    writeElement: (xml: string): void => {
      this.#connection.write(xml);
    },
    close: (error: StreamError, appSpecific?: string): void => this.close(error, appSpecific),
  };

  /** `<enable/>`, `<r/>` and `<a/>` once bound. */
  #onStreamManagement(element: Element): void {
    const session = this.#session!;
    const sm = session.streamManagement;
    switch (element.name) {
      case 'r':
        if (sm !== undefined) this.#connection.write(ackXml(sm.handled));
        return;
      case 'a':
        if (sm !== undefined) handleAck(sm, element, this.#smSide);
        return;
      case 'enable':
        return handleEnable(resumptionRegistryOf(this.#env.userHost(this.#host!)!), session, element, this.#smSide);
      case 'resume':
        // §5: resumption replaces binding; a bound stream cannot resume another session.
        this.#connection.write(failedXml('unexpected-request'));
        return;
      default:
        return this.close(new StreamError('unsupported-stanza-type'));
    }
  }

  /** §5: `<resume/>` after authentication, instead of binding: this stream takes the old session over. */
  #onResume(element: Element): Promise<void> | void {
    if (this.#closed) return;
    const host = this.#env.userHost(this.#host!)!;
    const registry = resumptionRegistryOf(host);
    if (registry === undefined) {
      this.#connection.write(failedXml('service-unavailable'));
      return;
    }
    const previd = element.attrs.previd as string | undefined;
    const h = parseH(element.attrs.h as string | undefined);
    if (previd === undefined || h === undefined) {
      this.#connection.write(failedXml('bad-request'));
      return;
    }
    const target = registry.find(this.#username!, previd);
    if (target.kind !== 'found') {
      this.logger.info({ previd, known: target.kind === 'expired' }, 'resumption failed: no such session');
      this.#connection.write(failedXml('item-not-found', target.kind === 'expired' ? target.h : undefined));
      return;
    }
    const session = target.session;
    // Stanzas the old stream took in may still wait for their archives: `h` counts them once
    // handled, so the answer waits for them (else the client would send them again).
    const inFlight = inputOf(session)?.inFlight();
    if (inFlight !== undefined) return inFlight.then(() => this.#onResume(element));
    const sm = session.streamManagement!;
    if (sm.acknowledged(h) !== undefined) {
      this.#connection.write(failedXml('undefined-condition', sm.handled));
      return;
    }
    registry.woke(session);
    const previous = session.replaceOutput(this);
    // The client knew before the server that its old connection was gone: end it without a word.
    if (previous instanceof XmppStream) previous.#relinquish();
    this.#clearTimeout();
    this.#session = session;
    this.#phase = 'bound';
    attachInput(session, this.#input);
    this.#connection.write(resumedXml(previd, sm.handled));
    // Every stanza the client did not acknowledge, once more and in order, with its delay stamp;
    // they stay queued until acknowledged.
    sm.prepareRedelivery(session.jid.bare().toString());
    for (const xml of sm.queue.items()) if (!this.write(xml)) break;
    sm.resumed();
    session.logger.info({ stream: this.id, redelivered: sm.queue.length }, 'session resumed');
    host.hooks.notify('session-resumed', { session, host });
  }

  /** Another stream resumed this stream's session: this one ends quietly, leaving the session alone. */
  #relinquish(): void {
    this.#session = undefined;
    if (this.#closed) return;
    this.logger.info('session taken over by a resumed stream');
    this.#connection.destroy();
    this.#finish(undefined, false);
  }

  /**
   * The connection of a resumable session is gone: the session stays bound, queueing stanzas,
   * until its client resumes it or `smacks_hibernation_time` passes (XEP-0198 §5).
   */
  #hibernate(session: C2sSession): boolean {
    const sm = session.streamManagement;
    if (sm === undefined || !sm.resumable) return false;
    const host = this.#env.userHost(session.jid.domain);
    const registry = host === undefined ? undefined : resumptionRegistryOf(host);
    if (host === undefined || registry === undefined) return false;
    const env = this.#env;
    sm.hibernating = true;
    sm.stop();
    session.replaceOutput(new HibernatedOutput(this, (error) => endSession(env, session, error)));
    registry.hibernate(session);
    session.logger.info({ unacked: sm.queue.length }, 'hibernating');
    host.hooks.notify('session-hibernated', { session, host });
    return true;
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

  /**
   * Releases everything once. The bound session (if any) ends, unless the connection was `lost`
   * and the session can be resumed: then it hibernates.
   */
  #finish(error: StreamError | undefined, lost: boolean): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#clearTimeout();
    this.#queue.clear();
    const session = this.#session;
    if (session !== undefined) {
      // A resumption asks this stream about what it still handles; after that, nothing does.
      const input = this.#input;
      if (this.#tail === undefined) detachInput(session, input);
      else void this.#tail.then(() => detachInput(session, input));
    }
    if (session !== undefined && session.output === this && !(lost && !this.#peerClosed && this.#hibernate(session))) {
      endSession(this.#env, session, error);
    }
    this.#env.streamClosed(this);
  }
}
