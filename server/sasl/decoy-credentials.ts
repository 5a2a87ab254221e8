/**
 * Credentials for users that do not exist. SCRAM reveals the salt and iteration count in the first
 * challenge; answering unknown users with random ones would let anyone probe which accounts exist
 * (RFC 5802 §9). The decoy salt is an HMAC of the user name under a key that lives only in this
 * process, so asking twice gives the same answer, as it would for a real account.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { DEFAULT_SCRAM_ITERATIONS, SCRAM_SALT_BYTES, hashLength, type ScramHash } from '../accounts/index.js';

const DECOY_KEY = randomBytes(32);

export interface ServerCredentials {
  /** Base64 salt as sent in `s=`. */
  salt: string;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

/** Decoy credentials for `username`: a stable salt, and keys no proof can match. */
export function decoyCredentials(hash: ScramHash, username: string, iterations = DEFAULT_SCRAM_ITERATIONS): ServerCredentials {
  const salt = createHmac('sha256', DECOY_KEY).update(`${hash}\0${username}`, 'utf8').digest().subarray(0, SCRAM_SALT_BYTES);
  return {
    salt: salt.toString('base64'),
    iterations,
    storedKey: randomBytes(hashLength(hash)),
    serverKey: randomBytes(hashLength(hash)),
  };
}
