/**
 * A client-side SCRAM-SHA-256 mechanism (RFC 7677) for xmpp.js's SASL factory, which ships only
 * SCRAM-SHA-1. Written independently of the server's implementation, from the RFC.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

interface Credentials {
  username: string;
  password: string;
}

export class ScramSha256Client {
  static readonly Mechanism = ScramSha256Client;
  readonly name = 'SCRAM-SHA-256';
  readonly clientFirst = true;
  #stage: 'first' | 'final' | 'done' = 'first';
  #nonce = randomBytes(18).toString('base64');
  #clientFirstBare = '';
  #serverFirst = '';
  #expectedServerSignature = '';

  response(credentials: Credentials): string {
    if (this.#stage === 'first') {
      const user = credentials.username.replace(/=/g, '=3D').replace(/,/g, '=2C');
      this.#clientFirstBare = `n=${user},r=${this.#nonce}`;
      this.#stage = 'final';
      return `n,,${this.#clientFirstBare}`;
    }
    const attrs = new Map(this.#serverFirst.split(',').map((kv) => [kv[0], kv.slice(2)] as [string, string]));
    const nonce = attrs.get('r')!;
    if (!nonce.startsWith(this.#nonce)) throw new Error('server nonce does not extend the client nonce');
    const salted = pbkdf2Sync(credentials.password, Buffer.from(attrs.get('s')!, 'base64'), Number(attrs.get('i')), 32, 'sha256');
    const clientKey = createHmac('sha256', salted).update('Client Key').digest();
    const storedKey = createHash('sha256').update(clientKey).digest();
    const withoutProof = `c=biws,r=${nonce}`;
    const authMessage = `${this.#clientFirstBare},${this.#serverFirst},${withoutProof}`;
    const signature = createHmac('sha256', storedKey).update(authMessage).digest();
    const proof = Buffer.from(clientKey.map((byte, i) => byte ^ signature[i]!));
    const serverKey = createHmac('sha256', salted).update('Server Key').digest();
    this.#expectedServerSignature = createHmac('sha256', serverKey).update(authMessage).digest('base64');
    this.#stage = 'done';
    return `${withoutProof},p=${proof.toString('base64')}`;
  }

  challenge(challenge: string): this {
    if (this.#stage === 'final') this.#serverFirst = challenge;
    else if (this.#stage === 'done' && challenge !== `v=${this.#expectedServerSignature}`) throw new Error('bad server signature');
    return this;
  }
}
