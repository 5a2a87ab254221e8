/**
 * The SASL part of stream negotiation (RFC 6120 §6): `<auth/>`, `<response/>`, `<abort/>`,
 * base64 on the wire, failures with their precise conditions, and per-stream/per-address limits.
 */
import type { Element } from 'ltx';
import { SaslFailure } from '../errors/index.js';
import { NS } from '../xml/ns.js';
import { decodeBase64Strict, offeredMechanisms, startSasl, type SaslServerSession, type SaslStep } from '../sasl/index.js';
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

export type SaslOutcome =
  | { kind: 'continue' }
  | { kind: 'success'; username: string; mechanism: string }
  | { kind: 'failure'; failure: SaslFailure; username: string | undefined; mechanism: string };

export class SaslNegotiation {
  #session: SaslServerSession | undefined;
  #failures = 0;
  #plusAttemptFailed = false;
  #offered: { secure: boolean; mechanisms: readonly string[] } | undefined;
  readonly #env: C2sEnvironment;
  readonly #connection: StreamConnection;
  readonly #host: string;

  constructor(env: C2sEnvironment, connection: StreamConnection, host: string) {
    this.#env = env;
    this.#connection = connection;
    this.#host = host;
  }

  get failures(): number {
    return this.#failures;
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
    if (this.#env.authLimiter.isBlocked(this.#connection.remoteAddress)) {
      return this.#fail(new SaslFailure('temporary-auth-failure', 'Too many failed authentication attempts'), mechanism, false);
    }
    if (!this.mechanisms().includes(mechanism)) {
      const policy = this.#env.policy(this.#host);
      const needsTls = mechanism === 'PLAIN' && !this.#connection.secure && !policy.allowUnencryptedPlain;
      return this.#fail(new SaslFailure(needsTls ? 'encryption-required' : 'invalid-mechanism'), mechanism, false);
    }
    const accounts = this.#env.accounts(this.#host);
    if (accounts === undefined) return this.#fail(new SaslFailure('temporary-auth-failure'), mechanism, false);
    this.#session = startSasl(mechanism, {
      accounts,
      secure: this.#connection.secure,
      channelBinding: (type) => (type === 'tls-exporter' ? this.#connection.channelBinding('tls-exporter') : undefined),
      // RFC 5802 §6 downgrade detection protects against -PLUS being stripped from the offer. A
      // client that already tried -PLUS on this stream saw the offer; its channel-binding type
      // was just not one we support (slixmpp knows only tls-unique), so its `y` retry is honest.
      plusOffered: !this.#plusAttemptFailed && this.mechanisms().some((m) => m.endsWith('-PLUS')),
      iterations: this.#env.saslIterations,
    });
    if (this.#session === undefined) return this.#fail(new SaslFailure('invalid-mechanism'), mechanism, false);
    return this.#step(element.getText(), mechanism);
  }

  async #step(text: string, mechanism: string): Promise<SaslOutcome> {
    const payload = decodeSaslPayload(text);
    if (payload === undefined) return this.#fail(new SaslFailure('incorrect-encoding'), mechanism);
    const session = this.#session;
    if (session === undefined) return this.#fail(new SaslFailure('malformed-request'), mechanism);
    let step: SaslStep;
    try {
      step = await session.step(payload);
    } catch (error) {
      // Only internal failures (storage) reject: the client may try again later.
      this.#env.logger.error({ err: error }, 'SASL step failed');
      return this.#fail(new SaslFailure('temporary-auth-failure'), mechanism, false);
    }
    if (step.kind === 'challenge') {
      this.#connection.write(`<challenge xmlns='${NS.sasl}'>${encodePayload(step.data)}</challenge>`);
      return { kind: 'continue' };
    }
    this.#session = undefined;
    if (step.kind === 'failure') {
      if (mechanism.endsWith('-PLUS')) this.#plusAttemptFailed = true;
      return this.#fail(step.failure, mechanism, true);
    }
    this.#connection.write(`<success xmlns='${NS.sasl}'>${step.data === undefined ? '' : encodePayload(step.data)}</success>`);
    return { kind: 'success', username: step.username, mechanism };
  }

  #fail(failure: SaslFailure, mechanism: string, counts = true): SaslOutcome {
    this.#session = undefined;
    if (counts && failure.condition !== 'aborted') {
      this.#failures++;
      this.#env.authLimiter.recordFailure(this.#connection.remoteAddress);
    }
    this.#connection.write(failureXml(failure));
    return { kind: 'failure', failure, username: undefined, mechanism };
  }
}
