/**
 * Credentials for users that do not exist. SCRAM reveals the salt and iteration count in the first
 * challenge; answering unknown users with random ones would let anyone probe which accounts exist
 * (RFC 5802 §9). The decoy salt is an HMAC of the user name under a secret key, so asking twice
 * gives the same answer, as it would for a real account. `DecoyProfile` keeps that key in storage
 * (stable across restarts) and picks the iteration count real accounts carry; this process-wide key
 * serves contexts that have no profile (tests, tools).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { DEFAULT_SCRAM_ITERATIONS, SCRAM_SALT_BYTES, hashLength, type ScramHash } from '../accounts/index.js';

/** Length of the secret decoy salts are derived under. */
export const DECOY_KEY_BYTES = 32;

const PROCESS_DECOY_KEY = randomBytes(DECOY_KEY_BYTES);

export interface ServerCredentials {
  /** Base64 salt as sent in `s=`. */
  salt: string;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

/**
 * Decoy credentials for `username`: a salt as long as a real one (`SCRAM_SALT_BYTES`), stable per
 * user and key, and keys no proof can match.
 */
export function decoyCredentials(
  hash: ScramHash,
  username: string,
  iterations = DEFAULT_SCRAM_ITERATIONS,
  key: Buffer = PROCESS_DECOY_KEY,
): ServerCredentials {
  const salt = createHmac('sha256', key).update(`${hash}\0${username}`, 'utf8').digest().subarray(0, SCRAM_SALT_BYTES);
  return {
    salt: salt.toString('base64'),
    iterations,
    storedKey: randomBytes(hashLength(hash)),
    serverKey: randomBytes(hashLength(hash)),
  };
}
