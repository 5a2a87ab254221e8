/**
 * A SCRAM client (RFC 5802) written independently of the server code, for checking the server
 * against the specification rather than against itself.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

export type ClientHash = 'sha1' | 'sha256';

export interface ScramClientOptions {
  hash: ClientHash;
  username: string;
  password: string;
  /** Default: 24 random characters. */
  clientNonce?: string;
  /** gs2-header, default `n,,`. */
  gs2Header?: string;
  /** Channel-binding data appended to the gs2-header in `c=` (for -PLUS). */
  bindingData?: Buffer;
}

function escapeName(name: string): string {
  return name.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

export class ScramClient {
  readonly #options: ScramClientOptions;
  readonly #nonce: string;
  #authMessage = '';
  #saltedPassword: Buffer | undefined;

  constructor(options: ScramClientOptions) {
    this.#options = options;
    this.#nonce = options.clientNonce ?? randomBytes(18).toString('base64');
  }

  get firstBare(): string {
    return `n=${escapeName(this.#options.username)},r=${this.#nonce}`;
  }

  first(): Buffer {
    return Buffer.from((this.#options.gs2Header ?? 'n,,') + this.firstBare);
  }

  /** The client-final-message for a server-first-message; `tamper` edits the message before the proof. */
  final(serverFirst: Buffer, tamper: (withoutProof: string) => string = (m) => m): Buffer {
    const text = serverFirst.toString();
    const fields = Object.fromEntries(text.split(',').map((f) => [f.slice(0, 1), f.slice(2)]));
    const { r = '', s = '', i = '0' } = fields;
    const { hash } = this.#options;
    this.#saltedPassword = pbkdf2Sync(this.#options.password, Buffer.from(s, 'base64'), Number(i),
      hash === 'sha1' ? 20 : 32, hash);
    const cbind = Buffer.concat([Buffer.from(this.#options.gs2Header ?? 'n,,'), this.#options.bindingData ?? Buffer.alloc(0)]);
    const withoutProof = tamper(`c=${cbind.toString('base64')},r=${r}`);
    this.#authMessage = `${this.firstBare},${text},${withoutProof}`;
    const clientKey = createHmac(hash, this.#saltedPassword).update('Client Key').digest();
    const storedKey = createHash(hash).update(clientKey).digest();
    const signature = createHmac(hash, storedKey).update(this.#authMessage).digest();
    const proof = Buffer.from(clientKey.map((byte, index) => byte ^ (signature[index] ?? 0)));
    return Buffer.from(`${withoutProof},p=${proof.toString('base64')}`);
  }

  /** The `v=` value the server must send for the last exchange. */
  expectedServerFinal(): string {
    if (this.#saltedPassword === undefined) throw new Error('final() not called');
    const { hash } = this.#options;
    const serverKey = createHmac(hash, this.#saltedPassword).update('Server Key').digest();
    return `v=${createHmac(hash, serverKey).update(this.#authMessage).digest('base64')}`;
  }
}
