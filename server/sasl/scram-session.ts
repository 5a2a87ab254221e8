/**
 * SCRAM-SHA-1, SCRAM-SHA-256 and their -PLUS variants, server side (RFC 5802, RFC 7677; channel
 * binding RFC 5056, `tls-exporter` RFC 9266).
 */
import { digest, hashLength, hmac, type ScramHash } from '../accounts/index.js';
import { constantTimeEqual } from '../crypto/index.js';
import { SaslFailure, err, ok, type Result } from '../errors/index.js';
import type { ChannelBindingType, SaslContext, SaslFailureCause, SaslServerSession, SaslStep } from './types.js';
import { parseClientFinal, parseClientFirst, type ClientFirstMessage } from './scram-messages.js';
import { decodeUtf8Strict } from './sasl-encoding.js';
import { decoyCredentials, type ServerCredentials } from './decoy-credentials.js';
import { accountName } from './sasl-username.js';
import { isAuthzidAllowed } from './authzid.js';
import { randomText } from './random-pool.js';

/** RFC 5802 §5.1 asks for a fresh, hard-to-guess server nonce; 18 bytes give 24 base64 characters. */
const SERVER_NONCE_BYTES = 18;
const BINDING_TYPES: readonly string[] = ['tls-exporter', 'tls-server-end-point'] satisfies ChannelBindingType[];

function isBindingType(name: string | undefined): name is ChannelBindingType {
  return name !== undefined && BINDING_TYPES.includes(name);
}

export function randomServerNonce(): string {
  return randomText(SERVER_NONCE_BYTES, 'base64');
}

type Refusal = { failure: SaslFailure; cause: SaslFailureCause };

/** A failed step; `username` is the name the client sent, once known. */
function failure(refusal: Refusal, username?: string): SaslStep {
  return { kind: 'failure', ...refusal, ...(username === undefined ? {} : { username }) };
}

/** A refusal before any proof was checked. */
function negotiation(condition: 'malformed-request' | 'not-authorized' | 'invalid-authzid', text?: string): Refusal {
  return { failure: new SaslFailure(condition, text), cause: 'negotiation' };
}

function bindingRefusal(text: string): Refusal {
  return { failure: new SaslFailure('not-authorized', text), cause: 'channel-binding' };
}

/** What the server remembers between its first challenge and the client's proof. */
interface PendingProof {
  username: string | undefined;
  /** The name as the client sent it (for logs). */
  rawUsername: string;
  credentials: ServerCredentials;
  /** Expected decoded `c=`: gs2-header then channel-binding data. */
  channelBinding: Buffer;
  nonce: string;
  /** client-first-message-bare "," server-first-message "," (AuthMessage prefix). */
  authPrefix: string;
}

export interface ScramSessionOptions {
  hash: ScramHash;
  plus: boolean;
  context: SaslContext;
  serverNonce: () => string;
}

export class ScramSession implements SaslServerSession {
  readonly mechanism: string;
  readonly #hash: ScramHash;
  readonly #plus: boolean;
  readonly #context: SaslContext;
  readonly #serverNonce: () => string;
  #phase: 'first' | 'final' | 'done' = 'first';
  #emptyAnswered = false;
  #busy = false;
  #pending: PendingProof | undefined;

  constructor(options: ScramSessionOptions) {
    this.#hash = options.hash;
    this.#plus = options.plus;
    this.#context = options.context;
    this.#serverNonce = options.serverNonce;
    this.mechanism = `SCRAM-${options.hash}${options.plus ? '-PLUS' : ''}`;
  }

  async step(response: Buffer): Promise<SaslStep> {
    if (this.#busy || this.#phase === 'done') return failure(negotiation('malformed-request', 'unexpected response'));
    this.#busy = true;
    let result: SaslStep | undefined;
    try {
      result = await this.#advance(response);
      return result;
    } finally {
      this.#busy = false;
      if (result === undefined || result.kind !== 'challenge') this.#phase = 'done';
    }
  }

  async #advance(response: Buffer): Promise<SaslStep> {
    // RFC 6120 §6.4.2: SCRAM is client-first; without an initial response we send an empty challenge.
    if (this.#phase === 'first' && response.length === 0 && !this.#emptyAnswered) {
      this.#emptyAnswered = true;
      return { kind: 'challenge', data: Buffer.alloc(0) };
    }
    const message = decodeUtf8Strict(response);
    if (message === undefined) return failure(negotiation('malformed-request', 'not UTF-8'));
    return this.#phase === 'first' ? this.#first(message) : this.#final(message);
  }

  async #first(message: string): Promise<SaslStep> {
    const parsed = parseClientFirst(message);
    if (!parsed.ok) return failure({ failure: parsed.error, cause: 'negotiation' });
    const first = parsed.value;
    const binding = this.#bindingData(first);
    if (!binding.ok) return failure(binding.error, first.username);
    const username = accountName(first.username);
    if (!isAuthzidAllowed(first.authzid, username, this.#context.accounts.host)) {
      return failure(negotiation('invalid-authzid'), first.username);
    }
    const credentials = await this.#credentials(username, first.username);
    const nonce = first.clientNonce + this.#serverNonce();
    const serverFirst = `r=${nonce},s=${credentials.salt},i=${credentials.iterations}`;
    this.#pending = {
      username,
      rawUsername: first.username,
      credentials,
      channelBinding: Buffer.concat([Buffer.from(first.gs2Header, 'utf8'), binding.value]),
      nonce,
      authPrefix: `${first.bare},${serverFirst},`,
    };
    this.#phase = 'final';
    return { kind: 'challenge', data: Buffer.from(serverFirst, 'utf8') };
  }

  /** Channel-binding data the client must prove it sees (empty without binding), or why not. */
  #bindingData(first: ClientFirstMessage): Result<Buffer, Refusal> {
    if (first.flag !== 'p') {
      // A -PLUS mechanism without binding is a contradiction in the request.
      if (this.#plus) return err(negotiation('malformed-request', 'channel binding required'));
      // RFC 5802 §6: "y" (the client could bind but thinks we cannot) while we offered -PLUS
      // means someone removed -PLUS from the offer the client saw. No exception, not even after
      // a failed -PLUS attempt on the same stream: a man in the middle can send one itself.
      const offered = this.#context.plusOffered ?? this.#context.channelBinding('tls-exporter') !== undefined;
      if (first.flag === 'y' && offered) return err(bindingRefusal('channel binding downgrade'));
      return ok(Buffer.alloc(0));
    }
    if (!this.#plus) return err(negotiation('malformed-request', 'channel binding needs a -PLUS mechanism'));
    const type = first.bindingType;
    const data = isBindingType(type) ? this.#context.channelBinding(type) : undefined;
    return data === undefined ? err(negotiation('malformed-request', 'unsupported channel binding type')) : ok(data);
  }

  /** Stored credentials, or decoys that look the same and can never verify. */
  async #credentials(username: string | undefined, rawUsername: string): Promise<ServerCredentials> {
    const stored = username === undefined ? undefined : await this.#context.accounts.getScram(username, this.#hash);
    if (stored === undefined) {
      const decoy = this.#context.decoy;
      const name = username ?? rawUsername;
      return decoy === undefined ? decoyCredentials(this.#hash, name, this.#context.iterations) : decoy.credentials(this.#hash, name);
    }
    return {
      salt: stored.salt,
      iterations: stored.iterations,
      storedKey: Buffer.from(stored.storedKey, 'base64'),
      serverKey: Buffer.from(stored.serverKey, 'base64'),
    };
  }

  #final(message: string): SaslStep {
    const pending = this.#pending;
    if (pending === undefined) return failure(negotiation('malformed-request', 'unexpected response')); // unreachable
    const parsed = parseClientFinal(message);
    if (!parsed.ok) return failure({ failure: parsed.error, cause: 'negotiation' }, pending.rawUsername);
    const final = parsed.value;
    // RFC 5802 §5.1: c= must carry our gs2-header and, with -PLUS, the binding data we see.
    if (!final.channelBinding.equals(pending.channelBinding)) {
      return failure(bindingRefusal('channel binding mismatch'), pending.rawUsername);
    }
    if (final.nonce !== pending.nonce) return failure(negotiation('not-authorized', 'nonce mismatch'), pending.rawUsername);
    const authMessage = pending.authPrefix + final.withoutProof;
    const { storedKey, serverKey } = pending.credentials;
    if (!this.#proofMatches(final.proof, storedKey, authMessage) || pending.username === undefined) {
      return failure({ failure: new SaslFailure('not-authorized'), cause: 'credentials' }, pending.rawUsername);
    }
    const serverSignature = hmac(this.#hash, serverKey, authMessage);
    return { kind: 'success', data: Buffer.from(`v=${serverSignature.toString('base64')}`, 'utf8'), username: pending.username };
  }

  /** RFC 5802 §3: ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage); H(ClientKey) must be StoredKey. */
  #proofMatches(proof: Buffer, storedKey: Buffer, authMessage: string): boolean {
    const signature = hmac(this.#hash, storedKey, authMessage);
    if (proof.length !== hashLength(this.#hash)) return false;
    const clientKey = Buffer.alloc(proof.length);
    for (let i = 0; i < proof.length; i++) clientKey[i] = (proof[i] ?? 0) ^ (signature[i] ?? 0);
    return constantTimeEqual(digest(this.#hash, clientKey), storedKey);
  }
}
