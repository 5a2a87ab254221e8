/** SASL PLAIN (RFC 4616): `[authzid] NUL authcid NUL passwd`, checked against the stored SCRAM keys. */
import { SaslFailure } from '../errors/index.js';
import type { SaslContext, SaslServerSession, SaslStep } from './types.js';
import { decodeUtf8Strict } from './sasl-encoding.js';
import { accountName } from './sasl-username.js';
import { isAuthzidAllowed } from './authzid.js';

/** A failure before any password was checked. */
function failure(condition: 'malformed-request' | 'invalid-authzid', text?: string, username?: string): SaslStep {
  return { kind: 'failure', failure: new SaslFailure(condition, text), cause: 'negotiation', ...(username === undefined ? {} : { username }) };
}

export class PlainSession implements SaslServerSession {
  readonly mechanism = 'PLAIN';
  readonly #context: SaslContext;
  #emptyAnswered = false;
  #done = false;

  constructor(context: SaslContext) {
    this.#context = context;
  }

  async step(response: Buffer): Promise<SaslStep> {
    if (this.#done) return failure('malformed-request', 'unexpected response');
    // RFC 6120 §6.4.2: without an initial response the server sends an empty challenge, once.
    if (response.length === 0 && !this.#emptyAnswered) {
      this.#emptyAnswered = true;
      return { kind: 'challenge', data: Buffer.alloc(0) };
    }
    this.#done = true;
    return this.#authenticate(response);
  }

  async #authenticate(response: Buffer): Promise<SaslStep> {
    const text = decodeUtf8Strict(response);
    const parts = text?.split('\0');
    if (parts?.length !== 3) return failure('malformed-request', 'expected authzid NUL authcid NUL passwd');
    const [authzid = '', authcid = '', password = ''] = parts;
    // RFC 4616 §2: authcid and passwd are 1*SAFE.
    if (authcid === '' || password === '') return failure('malformed-request', 'empty authcid or password');
    const username = accountName(authcid);
    if (!isAuthzidAllowed(authzid, username, this.#context.accounts.host)) return failure('invalid-authzid', undefined, authcid);
    // An unknown or invalid name costs the same derivation as a wrong password (see verifyPassword).
    const verified = await this.#context.accounts.verifyPassword(username ?? authcid, password);
    if (!verified || username === undefined) {
      return { kind: 'failure', failure: new SaslFailure('not-authorized'), cause: 'credentials', username: authcid };
    }
    return { kind: 'success', username };
  }
}
