/**
 * One BOSH session (XEP-0124, XEP-0206): requests are taken in `rid` order, their payloads fed to
 * the session's `XmppStream`, and each request is held until output is ready for it or `wait`
 * runs out; no more than `hold` requests are held (§10). Answers are kept for the window of
 * outstanding rids so that a resent request gets the same answer (§14.3). Without a held request
 * for `inactivity` seconds the session ends (§8).
 */
import { StreamError } from '../../server/errors/index.js';
import type { Logger } from '../../server/log/index.js';
import type { XmppStream } from '../../server/stream/index.js';
import { NS } from '../../server/xml/index.js';
import { bodyXml, terminateXml, type BoshRequestBody } from './bosh-body.js';
import type { BoshConnection, Termination } from './bosh-connection.js';
import { classifyRid } from './rid-window.js';

/** Room for the `<body/>` wrapper around payloads that must fit the stream's stanza limit. */
export const BODY_OVERHEAD_BYTES = 1024;
export const BOSH_VERSION = '1.11';

export interface BoshReply {
  readonly status: number;
  readonly body: string;
}

/** What was agreed at session creation (XEP-0124 §7.1), times in seconds. */
export interface SessionTerms {
  readonly sid: string;
  readonly host: string;
  readonly wait: number;
  readonly hold: number;
  readonly requests: number;
  readonly inactivity: number;
  readonly polling: number;
}

type Resolve = (reply: BoshReply) => void;

interface HeldRequest {
  readonly rid: number;
  resolve: Resolve;
  timer: NodeJS.Timeout | undefined;
}

/** A request that arrived before the one preceding it. */
interface EarlyRequest {
  readonly body: BoshRequestBody;
  readonly resolve: Resolve;
  timer: NodeJS.Timeout;
}

const EMPTY_BODY = bodyXml({}, '');

/** The stream header a request body stands for (its own attributes over `defaults`). */
function headerAttributes(body: BoshRequestBody, defaults: Record<string, string>): Record<string, string> {
  const attrs = { ...defaults };
  if (body.attrs.to !== undefined) attrs.to = body.attrs.to;
  if (body.xmppVersion !== undefined) attrs.version = body.xmppVersion;
  const lang = body.attrs['xml:lang'];
  if (lang !== undefined) attrs['xml:lang'] = lang;
  return attrs;
}

export function itemNotFound(): BoshReply {
  return { status: 404, body: terminateXml('item-not-found') };
}

export class BoshSession {
  readonly terms: SessionTerms;
  readonly #connection: BoshConnection;
  readonly #stream: XmppStream;
  readonly #logger: Logger;
  readonly #onEnded: (session: BoshSession) => void;
  #lastRid = 0;
  #creationRid = 0;
  readonly #ahead = new Map<number, EarlyRequest>();
  #held: HeldRequest[] = [];
  readonly #answers = new Map<number, string>();
  #termination: Termination | undefined;
  #inactivity: NodeJS.Timeout | undefined;
  #flushQueued = false;
  /** The stream's input queue is full: in-order requests wait with the early ones. */
  #inputPaused = false;
  /** The stream header attributes of the session request. */
  #opening: Record<string, string> = {};

  constructor(terms: SessionTerms, connection: BoshConnection, stream: XmppStream, onEnded: (session: BoshSession) => void) {
    this.terms = terms;
    this.#connection = connection;
    this.#stream = stream;
    // The sid is not logged: with the next rid it is all it takes to act in the session.
    this.#logger = stream.logger;
    this.#onEnded = onEnded;
    connection.listen({
      outputReady: () => this.#queueFlush(),
      ended: (termination) => {
        this.#terminate(termination);
        // A dropped connection is a lost transport for the stream, as a cut socket is over TCP (a
        // resumable session hibernates). Told after this call returns: a stream that dropped the
        // connection itself (slow reader) has finished by then, and the news changes nothing.
        queueMicrotask(() => this.#stream.transportClosed());
      },
      inputPaused: (paused) => this.#pauseInput(paused),
    });
  }

  /** The session creation request (XEP-0124 §7.1): it opens the stream. */
  /** The session creation request, whose body of `bytes` counts against the pre-authentication limit. */
  start(body: BoshRequestBody, bytes: number): Promise<BoshReply> {
    this.#creationRid = body.rid;
    this.#lastRid = body.rid - 1;
    return this.handle(body, bytes);
  }

  /** The largest stanza the stream accepts now: the pre-authentication limit until the client authenticates. */
  get inputLimit(): number {
    return this.#connection.inputLimits.maxStanzaBytes;
  }

  /** A request naming this session; `bytes` is the size of its body. */
  handle(body: BoshRequestBody, bytes: number): Promise<BoshReply> {
    if (this.#termination !== undefined) return Promise.resolve(this.#terminatedReply());
    this.#clearInactivity();
    if (bytes > this.#connection.inputLimits.maxStanzaBytes + BODY_OVERHEAD_BYTES) {
      this.#stream.inputFailed(new StreamError('policy-violation', 'Stanza too large'));
      return Promise.resolve(this.#terminatedReply());
    }
    switch (classifyRid(body.rid, this.#lastRid, this.terms.requests)) {
      case 'in-order':
        // The stream's input queue is full: the request waits, unanswered, until it has room.
        if (this.#inputPaused) return this.#waitForGap(body);
        return new Promise((resolve) => {
          this.#process(body, resolve);
          this.#processAhead();
        });
      case 'ahead':
        return this.#waitForGap(body);
      case 'repeat': {
        const reply = this.#resend(body.rid);
        this.#noteIdle();
        return reply;
      }
      case 'out-of-window':
        this.#logger.info({ rid: body.rid, lastRid: this.#lastRid }, 'BOSH rid out of window');
        this.fail('item-not-found');
        return Promise.resolve(itemNotFound());
    }
  }

  /** Ends the session from the binding side (lost requests, inactivity, module unload). */
  fail(condition: string | undefined): void {
    this.#terminate({ condition, payload: '' });
    this.#stream.transportClosed();
  }

  #process(body: BoshRequestBody, resolve: Resolve): void {
    this.#lastRid = body.rid;
    // Held first: whatever the payload causes, including the end of the stream, answers it.
    this.#held.push({ rid: body.rid, resolve, timer: undefined });
    const stream = this.#stream;
    if (body.rid === this.#creationRid) this.#opening = headerAttributes(body, {});
    // XEP-0206 §4, §5: the session request and a restart stand for the stream header; a restart
    // need not repeat what the session request said.
    if (body.rid === this.#creationRid || body.restart) {
      stream.streamOpened({ name: 'open', local: 'open', uri: NS.framing, attrs: headerAttributes(body, this.#opening) });
    }
    for (const { element, uri, local } of body.payload) stream.elementReceived(element, uri, local);
    if (body.terminate) stream.streamEnded();
    this.#flush();
  }

  /**
   * Waits for the requests before it; one still missing after `wait` seconds was lost, and the
   * session cannot go on in order (§14.3).
   */
  #waitForGap(body: BoshRequestBody): Promise<BoshReply> {
    return new Promise((resolve) => {
      const previous = this.#ahead.get(body.rid);
      if (previous !== undefined) {
        clearTimeout(previous.timer);
        previous.resolve({ status: 200, body: EMPTY_BODY });
      }
      this.#ahead.set(body.rid, { body, resolve, timer: this.#lostTimer(body.rid) });
    });
  }

  /** Nothing is lost while input is paused: the gap is a request held back here, so wait again. */
  #lostTimer(rid: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      const early = this.#ahead.get(rid);
      if (early === undefined) return; // taken in the meantime
      if (this.#inputPaused) {
        early.timer = this.#lostTimer(rid);
        return;
      }
      this.#logger.info({ rid, lastRid: this.#lastRid }, 'BOSH request lost');
      this.fail('item-not-found');
    }, this.terms.wait * 1000);
    timer.unref();
    return timer;
  }

  /** The stream's input queue filled (requests wait) or has room again (they are taken in order). */
  #pauseInput(paused: boolean): void {
    this.#inputPaused = paused;
    // Not from inside the stream's own drain: the waiting payloads go in on a fresh stack.
    if (!paused) queueMicrotask(() => this.#processAhead());
  }

  #processAhead(): void {
    for (let next = this.#ahead.get(this.#lastRid + 1); next !== undefined && !this.#inputPaused; next = this.#ahead.get(this.#lastRid + 1)) {
      this.#ahead.delete(next.body.rid);
      clearTimeout(next.timer);
      if (this.#termination !== undefined) return next.resolve(this.#terminatedReply());
      this.#process(next.body, next.resolve);
    }
  }

  /** XEP-0124 §14.3: the same answer again, or the new request takes the place of the held one. */
  #resend(rid: number): Promise<BoshReply> {
    const answer = this.#answers.get(rid);
    if (answer !== undefined) return Promise.resolve({ status: 200, body: answer });
    const held = this.#held.find((request) => request.rid === rid);
    if (held === undefined) {
      this.fail('item-not-found');
      return Promise.resolve(itemNotFound());
    }
    return new Promise((resolve) => {
      const previous = held.resolve;
      held.resolve = resolve;
      previous({ status: 200, body: EMPTY_BODY });
    });
  }

  #queueFlush(): void {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    // Everything the stream writes in one turn goes out in one body.
    queueMicrotask(() => {
      this.#flushQueued = false;
      if (this.#termination === undefined) this.#flush();
    });
  }

  /** Answers what can be answered now and arms the wait timers of the rest. */
  #flush(): void {
    if (this.#termination !== undefined) return;
    const first = this.#held[0];
    if (first !== undefined && this.#connection.hasOutput) this.#answer(first, this.#connection.take());
    // §10: more than `hold` waiting → the oldest are answered, empty if need be.
    while (this.#held.length > this.terms.hold) this.#answer(this.#held[0]!, '');
    for (const request of this.#held) {
      if (request.timer !== undefined) continue;
      request.timer = setTimeout(() => this.#answer(request, this.#connection.take()), this.terms.wait * 1000);
      request.timer.unref();
    }
    this.#noteIdle();
  }

  #answer(request: HeldRequest, payload: string): void {
    const index = this.#held.indexOf(request);
    if (index === -1) return;
    this.#held.splice(index, 1);
    if (request.timer !== undefined) clearTimeout(request.timer);
    const body = request.rid === this.#creationRid ? this.#creationBody(payload) : bodyXml({}, payload);
    this.#remember(request.rid, body);
    request.resolve({ status: 200, body });
    this.#noteIdle();
  }

  /** XEP-0124 §7.1, XEP-0206 §4: the session's terms and the stream's first features. */
  #creationBody(payload: string): string {
    const { terms } = this;
    return bodyXml({
      'xmlns:xmpp': NS.xbosh,
      'xmlns:stream': NS.stream,
      sid: terms.sid,
      wait: String(terms.wait),
      hold: String(terms.hold),
      requests: String(terms.requests),
      inactivity: String(terms.inactivity),
      polling: String(terms.polling),
      ver: BOSH_VERSION,
      from: terms.host,
      authid: this.#connection.streamId,
      'xmpp:version': '1.0',
      'xmpp:restartlogic': 'true',
    }, payload);
  }

  /** Answers are kept for the rids a client may still resend: the last `requests` of them. */
  #remember(rid: number, body: string): void {
    this.#answers.set(rid, body);
    for (const old of this.#answers.keys()) if (old <= this.#lastRid - this.terms.requests) this.#answers.delete(old);
  }

  #noteIdle(): void {
    if (this.#held.length > 0 || this.#ahead.size > 0 || this.#termination !== undefined || this.#inactivity !== undefined) return;
    this.#inactivity = setTimeout(() => {
      this.#inactivity = undefined;
      this.#logger.info('BOSH session inactive: ended');
      this.fail(undefined);
    }, this.terms.inactivity * 1000);
    this.#inactivity.unref();
  }

  #clearInactivity(): void {
    if (this.#inactivity !== undefined) clearTimeout(this.#inactivity);
    this.#inactivity = undefined;
  }

  /** The stream ended: every waiting request learns it (XEP-0124 §13, §17). */
  #terminate(termination: Termination): void {
    if (this.#termination !== undefined) return;
    this.#termination = termination;
    this.#clearInactivity();
    const output = this.#connection.take();
    const body = terminateXml(termination.condition, output + termination.payload);
    for (const request of this.#held.splice(0)) {
      if (request.timer !== undefined) clearTimeout(request.timer);
      request.resolve({ status: 200, body });
    }
    for (const early of this.#ahead.values()) {
      clearTimeout(early.timer);
      early.resolve({ status: 200, body: terminateXml(termination.condition, termination.payload) });
    }
    this.#ahead.clear();
    this.#onEnded(this);
  }

  #terminatedReply(): BoshReply {
    const termination = this.#termination ?? { condition: undefined, payload: '' };
    return { status: 200, body: terminateXml(termination.condition, termination.payload) };
  }
}
