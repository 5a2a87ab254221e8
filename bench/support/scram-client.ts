/**
 * The client side of SCRAM-SHA-1 and SCRAM-SHA-256 without channel binding (RFC 5802 §3, §5;
 * RFC 7677). Key derivation is cached per (password, salt, iterations): a load generator logs the
 * same accounts in again and again, and paying PBKDF2 each time would measure the client.
 */
import { createHash, createHmac, pbkdf2, timingSafeEqual } from 'node:crypto';

export type ScramMechanism = 'SCRAM-SHA-1' | 'SCRAM-SHA-256';

/** The keys a client derives from its password (RFC 5802 §3). */
export interface ScramClientKeys {
  clientKey: Buffer;
  storedKey: Buffer;
  serverKey: Buffer;
}

export interface ServerFirst {
  nonce: string;
  salt: Buffer;
  iterations: number;
}

export interface ClientFinal {
  /** client-final-message, to be sent base64-encoded. */
  message: string;
  /** The `v=` value the server must answer with (RFC 5802 §5.1: verify before trusting success). */
  serverSignature: Buffer;
}

/** The gs2 header for "no channel binding, no authzid" (RFC 5802 §7). */
const GS2_HEADER = 'n,,';
/** base64("n,,"): the `c=` attribute of the final message. */
const CHANNEL_BINDING = Buffer.from(GS2_HEADER).toString('base64');

function algorithm(mechanism: ScramMechanism): { name: 'sha1' | 'sha256'; length: number } {
  return mechanism === 'SCRAM-SHA-1' ? { name: 'sha1', length: 20 } : { name: 'sha256', length: 32 };
}

/** RFC 5802 §5.1: `=` and `,` in a user name are written `=3D` and `=2C`. */
export function escapeUsername(username: string): string {
  return username.replaceAll('=', '=3D').replaceAll(',', '=2C');
}

/** client-first-message and its bare part (which goes into AuthMessage). */
export function clientFirst(username: string, nonce: string): { message: string; bare: string } {
  const bare = `n=${escapeUsername(username)},r=${nonce}`;
  return { message: `${GS2_HEADER}${bare}`, bare };
}

/** Reads `r=...,s=...,i=...`; undefined when the message is not one. */
export function parseServerFirst(message: string, clientNonce: string): ServerFirst | undefined {
  const [r, s, i] = message.split(',');
  if (r === undefined || s === undefined || i === undefined) return undefined;
  if (!r.startsWith(`r=${clientNonce}`) || !s.startsWith('s=') || !i.startsWith('i=')) return undefined;
  const iterations = Number(i.slice(2));
  if (!Number.isInteger(iterations) || iterations < 1) return undefined;
  return { nonce: r.slice(2), salt: Buffer.from(s.slice(2), 'base64'), iterations };
}

/** ClientKey, StoredKey and ServerKey from a SaltedPassword (RFC 5802 §3). */
export function deriveKeys(mechanism: ScramMechanism, saltedPassword: Buffer): ScramClientKeys {
  const { name } = algorithm(mechanism);
  const clientKey = createHmac(name, saltedPassword).update('Client Key').digest();
  return {
    clientKey,
    storedKey: createHash(name).update(clientKey).digest(),
    serverKey: createHmac(name, saltedPassword).update('Server Key').digest(),
  };
}

/** client-final-message with its proof, and the server signature to expect. */
export function clientFinal(mechanism: ScramMechanism, keys: ScramClientKeys, firstBare: string, serverFirst: string, nonce: string): ClientFinal {
  const { name } = algorithm(mechanism);
  const withoutProof = `c=${CHANNEL_BINDING},r=${nonce}`;
  const authMessage = `${firstBare},${serverFirst},${withoutProof}`;
  const signature = createHmac(name, keys.storedKey).update(authMessage).digest();
  const proof = Buffer.alloc(keys.clientKey.length);
  for (let i = 0; i < proof.length; i++) proof[i] = keys.clientKey[i]! ^ signature[i]!;
  return {
    message: `${withoutProof},p=${proof.toString('base64')}`,
    serverSignature: createHmac(name, keys.serverKey).update(authMessage).digest(),
  };
}

/** True when server-final-message is `v=` with the expected signature. */
export function verifyServerFinal(message: string, expected: Buffer): boolean {
  if (!message.startsWith('v=')) return false;
  const received = Buffer.from(message.slice(2), 'base64');
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/** Derived keys per (mechanism, password, salt, iterations), bounded. */
export class ScramKeyCache {
  readonly #entries = new Map<string, Promise<ScramClientKeys>>();
  readonly #max: number;
  /** `mechanism\0username` of every account keys were asked for: those logins need no priming. */
  readonly #users = new Set<string>();

  constructor(max = 100_000) {
    this.#max = max;
  }

  /** Keys for this password and salt; `username`, when given, is remembered for `has`. */
  keys(mechanism: ScramMechanism, password: string, server: ServerFirst, username?: string): Promise<ScramClientKeys> {
    if (username !== undefined && this.#users.size < this.#max) this.#users.add(`${mechanism}\0${username}`);
    const key = `${mechanism}\0${server.iterations}\0${server.salt.toString('base64')}\0${password}`;
    let keys = this.#entries.get(key);
    if (keys === undefined) {
      // A bench uses a fixed set of accounts; the bound only guards against misuse.
      if (this.#entries.size >= this.#max) this.#entries.clear();
      keys = saltPassword(mechanism, password, server).then((salted) => deriveKeys(mechanism, salted));
      this.#entries.set(key, keys);
    }
    return keys;
  }

  /** Whether keys of `username` for `mechanism` were derived (in this run or one restored). */
  has(mechanism: ScramMechanism, username: string): boolean {
    return this.#users.has(`${mechanism}\0${username}`);
  }

  /** Every derived entry, base64, for `restore` in a later run on the same accounts (their salts do not change). */
  async export(): Promise<{ users: string[]; entries: Record<string, [string, string, string]> }> {
    const entries: Record<string, [string, string, string]> = {};
    for (const [key, keys] of this.#entries) {
      const { clientKey, storedKey, serverKey } = await keys;
      entries[key] = [clientKey.toString('base64'), storedKey.toString('base64'), serverKey.toString('base64')];
    }
    return { users: [...this.#users], entries };
  }

  /** Adds what `export` saved; malformed entries are skipped. */
  restore(saved: unknown): void {
    if (typeof saved !== 'object' || saved === null) return;
    const { users, entries } = saved as { users?: unknown; entries?: unknown };
    if (Array.isArray(users)) for (const user of users) if (typeof user === 'string' && this.#users.size < this.#max) this.#users.add(user);
    if (typeof entries !== 'object' || entries === null) return;
    for (const [key, value] of Object.entries(entries)) {
      if (!Array.isArray(value) || value.length !== 3 || !value.every((v) => typeof v === 'string')) continue;
      const [clientKey, storedKey, serverKey] = (value as string[]).map((v) => Buffer.from(v, 'base64'));
      if (this.#entries.size < this.#max) this.#entries.set(key, Promise.resolve({ clientKey: clientKey!, storedKey: storedKey!, serverKey: serverKey! }));
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** Hi(password, salt, i) = PBKDF2 with HMAC (RFC 5802 §2.2); passwords here are ASCII, so SASLprep is identity. */
function saltPassword(mechanism: ScramMechanism, password: string, server: ServerFirst): Promise<Buffer> {
  const { name, length } = algorithm(mechanism);
  return new Promise((resolve, reject) => {
    pbkdf2(password, server.salt, server.iterations, length, name, (error, key) => (error ? reject(error) : resolve(key)));
  });
}
