/**
 * The BOSH sessions of one host: creation (XEP-0124 §7, XEP-0206 §4), lookup by `sid`, and the
 * answers for requests that no session can take (unknown `sid`, malformed body). Each session
 * holds one of its address's client connection slots (`c2s_max_connections_per_ip`).
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../server/log/index.js';
import { FRAMED_HEADER_RULES, XmppStream, type ClientStreams } from '../../server/stream/index.js';
import type { XmlLimits } from '../../server/xml/index.js';
import type { BodyGate } from '../http-types.js';
import { parseBoshBody, terminateXml, type BoshRequestBody } from './bosh-body.js';
import { BoshConnection } from './bosh-connection.js';
import type { BoshSettings } from './bosh-options.js';
import { BODY_OVERHEAD_BYTES, BoshSession, itemNotFound, type BoshReply, type SessionTerms } from './bosh-session.js';

/** Prosody's BOSH_HOLD and BOSH_MAX_REQUESTS: one held request, and one more to send with. */
const MAX_HOLD = 1;
const REQUESTS = 2;

export interface BoshRequestInfo {
  readonly body: Buffer;
  readonly remoteAddress: string;
  /** Over HTTPS (or declared so by `consider_bosh_secure`). */
  readonly secure: boolean;
}

const BAD_REQUEST: BoshReply = { status: 400, body: terminateXml('bad-request') };

/** The `sid` attribute of the `<body>` start tag at the start of `prefix` (XEP-0124 §7). */
const SID_ATTRIBUTE = /<(?:[A-Za-z_][\w.-]*:)?body\s[^>]*?\bsid\s*=\s*(?:'([^'<]*)'|"([^"<]*)")/;

function sidOf(prefix: Buffer): string | undefined {
  // The start tag comes first; a client's longest is a few hundred bytes.
  const match = SID_ATTRIBUTE.exec(prefix.toString('latin1', 0, Math.min(prefix.length, 4 * BODY_OVERHEAD_BYTES)));
  return match === null ? undefined : match[1] ?? match[2];
}

function integerAttribute(value: string | undefined): number | undefined {
  if (value === undefined || !/^[0-9]{1,9}$/.test(value)) return undefined;
  return Number(value);
}

export class BoshSessions {
  readonly #streams: ClientStreams;
  readonly #settings: BoshSettings;
  readonly #logger: Logger;
  readonly #sessions = new Map<string, BoshSession>();

  constructor(streams: ClientStreams, settings: BoshSettings, logger: Logger) {
    this.#streams = streams;
    this.#settings = settings;
    this.#logger = logger;
  }

  /**
   * The largest request body read: room for a payload somewhat over the stanza limit, so that it
   * ends its session with policy-violation; far larger bodies are refused by the listener (413).
   */
  get bodyLimit(): number {
    return this.#streams.env.limits.stanzaBytes * 2 + BODY_OVERHEAD_BYTES;
  }

  /**
   * The pre-authentication bound on bodies (RFC 6120 §13.12: an unauthenticated client gets tight
   * limits): past it a body is read on only when its `<body>` start tag names a session that has
   * authenticated. Session creation requests and unauthenticated sessions get 413 there, unread,
   * instead of being buffered and parsed up to the authenticated bound (`bodyLimit`).
   */
  get bodyGate(): BodyGate {
    return {
      bytes: this.#streams.env.limits.unauthedStanzaBytes * 2 + BODY_OVERHEAD_BYTES,
      allowMore: (prefix) => {
        const sid = sidOf(prefix);
        const session = sid === undefined ? undefined : this.#sessions.get(sid);
        return session !== undefined && session.inputLimit > this.#streams.env.limits.unauthedStanzaBytes;
      },
    };
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** Answers one POSTed body. */
  handle(request: BoshRequestInfo): Promise<BoshReply> {
    const parsed = parseBoshBody(request.body.toString('utf8'), this.#parseLimits());
    if (!parsed.ok) {
      const problem = parsed.error;
      this.#logger.debug({ remote: request.remoteAddress, problem: problem.kind === 'bad-request' ? problem.text : problem.error.condition }, 'malformed BOSH body');
      // XEP-0124 §17.1 (with the legacy HTTP codes of §19): 400 bad-request, 403 policy-violation.
      if (problem.kind === 'bad-request') return Promise.resolve(BAD_REQUEST);
      return Promise.resolve({ status: 403, body: terminateXml('policy-violation') });
    }
    const body = parsed.value;
    if (body.sid === undefined) return this.#create(body, request);
    const session = this.#sessions.get(body.sid);
    // XEP-0124 §17.1: an unknown (or ended) session is item-not-found; Prosody answers 404.
    if (session === undefined) return Promise.resolve(itemNotFound());
    return session.handle(body, request.body.length);
  }

  /** Ends every session (module unload). */
  closeAll(): void {
    for (const session of [...this.#sessions.values()]) session.fail('system-shutdown');
  }

  #parseLimits(): XmlLimits {
    const { limits } = this.#streams.env;
    return { maxStanzaBytes: this.bodyLimit, maxDepth: limits.maxDepth, maxAttributes: limits.maxAttributes };
  }

  #create(body: BoshRequestBody, request: BoshRequestInfo): Promise<BoshReply> {
    const terms = this.#terms(body);
    if (terms === undefined) return Promise.resolve(BAD_REQUEST);
    const release = this.#streams.acquireSlot(request.remoteAddress);
    if (release === undefined) {
      this.#logger.warn({ remote: request.remoteAddress }, 'too many connections from one address');
      return Promise.resolve({ status: 403, body: terminateXml('policy-violation') });
    }
    const { env } = this.#streams;
    const limits = { maxStanzaBytes: env.limits.unauthedStanzaBytes, maxDepth: env.limits.maxDepth, maxAttributes: env.limits.maxAttributes };
    const connection = new BoshConnection(request.remoteAddress, request.secure, limits);
    const stream = new XmppStream(env, connection, FRAMED_HEADER_RULES, true, 'bosh');
    const session = new BoshSession(terms, connection, stream, (ended) => {
      if (this.#sessions.get(ended.terms.sid) === ended) this.#sessions.delete(ended.terms.sid);
      release();
    });
    this.#sessions.set(terms.sid, session);
    this.#streams.adopt(stream, 'bosh');
    stream.logger.debug({ wait: terms.wait, hold: terms.hold }, 'BOSH session created');
    return session.start(body, request.body.length);
  }

  /** XEP-0124 §7.1: what the client asked for, within this server's bounds. */
  #terms(body: BoshRequestBody): SessionTerms | undefined {
    const wait = integerAttribute(body.attrs.wait);
    if (wait === undefined) return undefined;
    const hold = integerAttribute(body.attrs.hold) ?? MAX_HOLD;
    return {
      sid: randomBytes(16).toString('hex'),
      host: (body.attrs.to ?? '').toLowerCase(),
      wait: Math.max(1, Math.min(wait, this.#settings.maxWaitSeconds)),
      hold: Math.min(hold, MAX_HOLD),
      requests: REQUESTS,
      inactivity: this.#settings.maxInactivitySeconds,
      polling: this.#settings.pollingSeconds,
    };
  }
}
