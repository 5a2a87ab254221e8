/**
 * SCRAM key derivation (RFC 5802 §3, RFC 7677):
 *   SaltedPassword = Hi(password, salt, i)        (PBKDF2 with HMAC-H)
 *   ClientKey      = HMAC(SaltedPassword, "Client Key")
 *   StoredKey      = H(ClientKey)
 *   ServerKey      = HMAC(SaltedPassword, "Server Key")
 * Only StoredKey and ServerKey are kept; they let the server check a proof without the password.
 */
import { createHash, createHmac, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { ScramCredentials, ScramHash } from './account-store.js';

const pbkdf2Async = promisify(pbkdf2);

/** DESIGN.md §8: iterations per derivation unless configured (`sasl_iterations`). */
export const DEFAULT_SCRAM_ITERATIONS = 10_000;
/** Salt length in bytes for new credentials. */
export const SCRAM_SALT_BYTES = 16;
/** Every hash accounts store keys for. */
export const SCRAM_HASHES: readonly ScramHash[] = ['SHA-1', 'SHA-256'];

const NODE_HASH: Record<ScramHash, { name: string; bytes: number }> = {
  'SHA-1': { name: 'sha1', bytes: 20 },
  'SHA-256': { name: 'sha256', bytes: 32 },
};

/** Output length of H in bytes. */
export function hashLength(hash: ScramHash): number {
  return NODE_HASH[hash].bytes;
}

/** H(data). */
export function digest(hash: ScramHash, data: Buffer): Buffer {
  return createHash(NODE_HASH[hash].name).update(data).digest();
}

/** HMAC(key, data). */
export function hmac(hash: ScramHash, key: Buffer, data: Buffer | string): Buffer {
  return createHmac(NODE_HASH[hash].name, key).update(data).digest();
}

/** Hi(password, salt, i); `preparedPassword` must already be SASLprep'd. */
export function saltPassword(hash: ScramHash, preparedPassword: string, salt: Buffer, iterations: number): Promise<Buffer> {
  if (!Number.isSafeInteger(iterations) || iterations < 1) throw new RangeError(`invalid SCRAM iteration count ${iterations}`);
  const { name, bytes } = NODE_HASH[hash];
  return pbkdf2Async(Buffer.from(preparedPassword, 'utf8'), salt, iterations, bytes, name);
}

/** ClientKey, StoredKey and ServerKey from a salted password. */
export function scramKeys(hash: ScramHash, saltedPassword: Buffer): { clientKey: Buffer; storedKey: Buffer; serverKey: Buffer } {
  const clientKey = hmac(hash, saltedPassword, 'Client Key');
  return { clientKey, storedKey: digest(hash, clientKey), serverKey: hmac(hash, saltedPassword, 'Server Key') };
}

export interface DeriveOptions {
  /** Defaults to `SCRAM_SALT_BYTES` random bytes. */
  salt?: Buffer;
  /** Defaults to `DEFAULT_SCRAM_ITERATIONS`. */
  iterations?: number;
}

/** Stored credentials for a SASLprep'd password; the password itself is not kept. */
export async function deriveScramCredentials(
  hash: ScramHash,
  preparedPassword: string,
  options: DeriveOptions = {},
): Promise<ScramCredentials> {
  const salt = options.salt ?? randomBytes(SCRAM_SALT_BYTES);
  const iterations = options.iterations ?? DEFAULT_SCRAM_ITERATIONS;
  const { storedKey, serverKey } = scramKeys(hash, await saltPassword(hash, preparedPassword, salt, iterations));
  return {
    salt: salt.toString('base64'),
    iterations,
    storedKey: storedKey.toString('base64'),
    serverKey: serverKey.toString('base64'),
  };
}
