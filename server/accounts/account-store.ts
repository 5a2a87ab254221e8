/**
 * Accounts of one user host. Passwords are never stored: only SCRAM keys per hash
 * (RFC 5802 StoredKey/ServerKey with salt and iteration count).
 */
import type { Result } from '../errors/index.js';

export type ScramHash = 'SHA-1' | 'SHA-256';

export interface ScramCredentials {
  /** Base64 salt. */
  salt: string;
  iterations: number;
  /** Base64 StoredKey = H(ClientKey). */
  storedKey: string;
  /** Base64 ServerKey = HMAC(SaltedPassword, "Server Key"). */
  serverKey: string;
}

export interface AccountRecord {
  scram: Partial<Record<ScramHash, ScramCredentials>>;
  created: string;
}

export type AccountProblem = 'exists' | 'not-found' | 'invalid-username' | 'invalid-password';

export interface AccountStore {
  readonly host: string;
  exists(username: string): Promise<boolean>;
  /** Creates an account; the password is SASLprep'd and turned into SCRAM keys. */
  create(username: string, password: string): Promise<Result<void, AccountProblem>>;
  setPassword(username: string, password: string): Promise<Result<void, AccountProblem>>;
  delete(username: string): Promise<Result<void, AccountProblem>>;
  /** SCRAM credentials for SASL; undefined when the user does not exist. */
  getScram(username: string, hash: ScramHash): Promise<ScramCredentials | undefined>;
  /** Verifies a plaintext password (SASL PLAIN) against the stored keys, in constant time. */
  verifyPassword(username: string, password: string): Promise<boolean>;
  list(): Promise<string[]>;
  /**
   * The PBKDF2 iteration count most stored accounts carry (`sasl_iterations` while there are none),
   * for answering names that are not accounts like names that are (RFC 5802 §9).
   */
  typicalIterations(): Promise<number>;
  /**
   * Calls `listener` with a username whose account may have been created, changed or removed,
   * by this process or another one (`salon deluser`); `undefined` means any account may have.
   * A store that only this process can change (the memory driver) may never call it.
   */
  watch?(listener: (username: string | undefined) => void): () => void;
}
