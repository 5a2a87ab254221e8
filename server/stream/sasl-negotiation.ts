/**
 * The SASL part of stream negotiation (RFC 6120 §6): `<auth/>`, `<response/>`, `<abort/>`,
 * base64 on the wire, failures with their precise conditions, and per-stream/per-address limits.
 * Only failed credential checks count toward the per-address limit (auth-limiter.ts); every
 * failure counts toward the per-stream bound.
 */
import type { Element } from 'ltx';
import { SaslFailure } from '../errors/index.js';
import type { Logger } from '../log/index.js';
import { NS } from '../xml/index.js';
import {
  decodeBase64Strict, offeredMechanisms, startSasl, type SaslFailureCause, type SaslServerSession, type SaslStep,
} from '../sasl/index.js';
import type { C2sEnvironment } from './c2s-environment.js';
import type { StreamConnection } from './stream-connection.js';

/** `=` means an empty response; anything else must be valid base64 (RFC 6120 §6.4.2). */
export function decodeSaslPayload(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === '=') return Buffer.alloc(0);
  return decodeBase64Strict(trimmed);
}

function encodePayload(data: Buffer | undefined): string {
  return data === undefined || data.length === 0 ? '=' : data.toString('base64');
}

export function failureXml(failure: SaslFailure): string {
  const text = failure.text === undefined ? '' : `<text xml:lang='en'>${failure.text}</text>`;
  return `<failure xmlns='${NS.sasl}'><${failure.condition}/>${text}</failure>`;
}

/**
 * RFC 6120 §6.4.5: a server allows "no more than 5" retries. Every failed exchange counts here,
 * negotiation failures included, so that a stream cannot loop through them until its timeout.
 * Six is what a client needs that tries each of the five mechanisms once and then retypes a
 * password; slixmpp 1.8.3 uses five (two -PLUS with tls-unique, two SCRAM with `y`, then PLAIN).
 */
const FAILED_EXCHANGES_PER_STREAM = 6;

export type SaslOutcome =
  | { kind: 'continue' }
  | { kind: 'success'; username: string; mechanism: string }
  | { kind: 'failure'; failure: SaslFailure; username: string | undefined; mechanism: string };

export class SaslNegotiation {
  #session: SaslServerSession | undefined;
  #credentialFailures = 0;
  #failedExchanges = 0;
  /** A -PLUS exchange on this stream failed before its binding was checked (for the log level only). */
  #plusRefused = false;
  #offered: { secure: boolean; mechanisms: readonly string[] } | undefined;
  readonly #env: C2sEnvironment;
  readonly #connection: StreamConnection;
  readonly #host: string;
  readonly #logger: Logger;

  constructor(env: C2sEnvironment, connection: StreamConnection, host: string, logger: Logger = env.logger) {
    this.#env = env;
    this.#connection = connection;
    this.#host = host;
    this.#logger = logger;
  }

  /**
   * The stream has used up its attempts: `saslAttemptsPerStream` failed credential checks, or
   * `FAILED_EXCHANGES_PER_STREAM` failures of any kind. The stream should be closed.
   */
  get exhausted(): boolean {
    return this.#credentialFailures >= this.#env.limits.saslAttemptsPerStream
      || this.#failedExchanges >= FAILED_EXCHANGES_PER_STREAM;
  }

  /**
   * The mechanisms this stream offers. Asked for by the features and twice by `<auth/>`; worked out
   * once per security state (it changes only with STARTTLS), since finding out whether channel
   * binding is available derives TLS keying material.
   */
  mechanisms(): readonly string[] {
    const secure = this.#connection.secure;
    if (this.#offered?.secure === secure) return this.#offered.mechanisms;
    const policy = this.#env.policy(this.#host);
    const mechanisms = offeredMechanisms({
      secure,
      allowUnencryptedPlain: policy.allowUnencryptedPlain,
      channelBindingAvailable: this.#connection.channelBinding('tls-exporter') !== undefined,
      disabled: policy.disabledMechanisms,
    });
    this.#offered = { secure, mechanisms };
    return mechanisms;
  }

  /** Handles one SASL element; writes the challenge/success/failure itself. */
  async handle(element: Element): Promise<SaslOutcome> {
    const mechanism = this.#session?.mechanism ?? String(element.attrs.mechanism ?? '');
    if (element.name === 'abort') return this.#fail(new SaslFailure('aborted'), mechanism);
    if (element.name === 'auth') return this.#start(element);
    if (element.name === 'response' && this.#session !== undefined) return this.#step(element.getText(), mechanism);
    return this.#fail(new SaslFailure('malformed-request', 'Unexpected SASL element'), mechanism);
  }

  async #start(element: Element): Promise<SaslOutcome> {
    const mechanism = String(element.attrs.mechanism ?? '');
    const address = this.#connection.remoteAddress;
    if (this.#env.authLimiter.isBlocked(address)) {
      // The lockout itself was logged at warn once; its refusals are info, so a client hammering
      // a locked address cannot flood the log with warnings.
      this.#logger.info({ address, mechanism, retryAfterSeconds: this.#env.authLimiter.secondsBlocked(address) },
        'login refused: too many failed logins from this address');
      return this.#fail(new SaslFailure('temporary-auth-failure', 'Too many failed authentication attempts'), mechanism);
    }
    if (!this.mechanisms().includes(mechanism)) {
      const policy = this.#env.policy(this.#host);
      const needsTls = mechanism === 'PLAIN' && !this.#connection.secure && !policy.allowUnencryptedPlain;
      return this.#fail(new SaslFailure(needsTls ? 'encryption-required' : 'invalid-mechanism'), mechanism);
    }
    const accounts = this.#env.accounts(this.#host);
    if (accounts === undefined) return this.#fail(new SaslFailure('temporary-auth-failure'), mechanism);
    this.#session = startSasl(mechanism, {
      accounts,
      secure: this.#connection.secure,
      channelBinding: (type) => (type === 'tls-exporter' ? this.#connection.channelBinding('tls-exporter') : undefined),
      // RFC 5802 §6: once -PLUS is in the offer, `y` is refused on this stream, whatever came before.
      plusOffered: this.mechanisms().some((m) => m.endsWith('-PLUS')),
      iterations: this.#env.saslIterations,
      decoy: this.#env.decoy(this.#host),
    });
    if (this.#session === undefined) return this.#fail(new SaslFailure('invalid-mechanism'), mechanism);
    return this.#step(element.getText(), mechanism);
  }

  async #step(text: string, mechanism: string): Promise<SaslOutcome> {
    const payload = decodeSaslPayload(text);
    if (payload === undefined) return this.#fail(new SaslFailure('incorrect-encoding'), mechanism);
    const session = this.#session;
    if (session === undefined) return this.#fail(new SaslFailure('malformed-request'), mechanism); // unreachable
    let step: SaslStep;
    try {
      step = await session.step(payload);
    } catch (error) {
      // Only internal failures (storage) reject: the client may try again later.
      this.#logger.error({ err: error }, 'SASL step failed');
      return this.#fail(new SaslFailure('temporary-auth-failure'), mechanism);
    }
    if (step.kind === 'challenge') {
      this.#connection.write(`<challenge xmlns='${NS.sasl}'>${encodePayload(step.data)}</challenge>`);
      return { kind: 'continue' };
    }
    this.#session = undefined;
    if (step.kind === 'failure') return this.#refuse(step, mechanism);
    this.#env.authLimiter.recordSuccess(this.#connection.remoteAddress);
    this.#env.stats.authSuccesses++;
    this.#connection.write(`<success xmlns='${NS.sasl}'>${step.data === undefined ? '' : encodePayload(step.data)}</success>`);
    return { kind: 'success', username: step.username, mechanism };
  }

  /** A mechanism refused the client: logged, and counted toward the address limit when credentials were wrong. */
  #refuse(step: Extract<SaslStep, { kind: 'failure' }>, mechanism: string): SaslOutcome {
    const address = this.#connection.remoteAddress;
    const details = { address, user: step.username, mechanism, reason: reasonOf(step.failure), cause: step.cause };
    if (step.cause === 'credentials') {
      this.#credentialFailures++;
      const record = this.#env.authLimiter.recordFailure(address);
      this.#logger.warn({ ...details, failuresFromAddress: record.failures }, 'login failed');
      if (record.lockedOut) {
        this.#env.stats.authLockouts++;
        this.#logger.warn({ ...details, failures: record.failures, lockedSeconds: record.secondsLeft },
          'address locked out: too many failed logins');
      }
    } else {
      this.#logger[this.#levelOf(step.cause, mechanism)](details, 'SASL negotiation failed');
      if (step.cause === 'negotiation' && mechanism.endsWith('-PLUS')) this.#plusRefused = true;
    }
    return this.#fail(step.failure, mechanism, step.username);
  }

  /**
   * A channel-binding refusal is what a man in the middle causes, so it is a warning, except a
   * `y` after this stream's own -PLUS attempt failed for its binding type: that is slixmpp
   * (which knows only tls-unique) falling back, on every login.
   */
  #levelOf(cause: Exclude<SaslFailureCause, 'credentials'>, mechanism: string): 'warn' | 'info' {
    const fallback = this.#plusRefused && !mechanism.endsWith('-PLUS');
    return cause === 'channel-binding' && !fallback ? 'warn' : 'info';
  }

  #fail(failure: SaslFailure, mechanism: string, username?: string): SaslOutcome {
    this.#session = undefined;
    this.#failedExchanges++;
    this.#env.stats.authFailed(failure.condition);
    this.#connection.write(failureXml(failure));
    return { kind: 'failure', failure, username, mechanism };
  }
}

function reasonOf(failure: SaslFailure): string {
  return failure.text === undefined ? failure.condition : `${failure.condition}: ${failure.text}`;
}
