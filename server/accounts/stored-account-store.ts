/**
 * Accounts of one host kept in the `accounts` store of a storage driver, keyed by the normalised
 * local part. Records hold SCRAM keys for every hash (never the password, never logged).
 */
import { randomBytes } from 'node:crypto';
import { constantTimeEqual } from '../crypto/index.js';
import { err, ok, type Result } from '../errors/index.js';
import { normaliseLocal } from '../jid/index.js';
import { KeyedQueue, type KeyValueStore, type StorageDriver } from '../storage/index.js';
import type {
  AccountProblem, AccountRecord, AccountStore, ScramCredentials, ScramHash,
} from './account-store.js';
import { IterationCensus } from './iteration-census.js';
import { prepareSaslString } from './saslprep.js';
import {
  DEFAULT_SCRAM_ITERATIONS, SCRAM_HASHES, SCRAM_SALT_BYTES, deriveScramCredentials, saltPassword, scramKeys,
} from './scram-keys.js';

/** The store name accounts live in (Prosody's `accounts`). */
export const ACCOUNTS_STORE = 'accounts';

export interface AccountStoreOptions {
  /** PBKDF2 iterations for new keys (`sasl_iterations`); defaults to 10000. */
  iterations?: number;
}

/** Verifying a password for an unknown user still costs one derivation, so timing does not tell. */
const DECOY_SALT = randomBytes(SCRAM_SALT_BYTES);

/** The account key for a user name: its normalised JID local part (RFC 7622 §3.3). */
function accountKey(username: string): string | undefined {
  const local = normaliseLocal(username);
  return local === undefined || local === '' ? undefined : local;
}

/**
 * Whether a login can name the account: SASL applies the localpart profile and then SASLprep's
 * bidi check (`sasl/sasl-username.ts`), which refuses some names PRECIS alone accepts (Latin and
 * Hebrew letters mixed, `user\u05d0`); such an account could be created but never logged into,
 * so it is not created.
 */
function isReachableAtLogin(key: string): boolean {
  return normaliseLocal(key) === key && prepareSaslString(key, { allowUnassigned: true }) !== undefined;
}

/** A password fit to store: SASLprep'd (stored-string rules, RFC 4013) and not empty. */
function preparePassword(password: string): string | undefined {
  const prepared = prepareSaslString(password);
  return prepared === undefined || prepared === '' ? undefined : prepared;
}

class StoredAccountStore implements AccountStore {
  readonly host: string;
  readonly #store: KeyValueStore<AccountRecord>;
  readonly #iterations: number;
  readonly #census: IterationCensus;
  // Check-then-write sequences (create, setPassword, delete) for one user never interleave.
  readonly #perUser = new KeyedQueue();

  constructor(store: KeyValueStore<AccountRecord>, host: string, iterations: number) {
    this.#store = store;
    this.host = host;
    this.#iterations = iterations;
    this.#census = new IterationCensus(this, iterations);
  }

  async exists(username: string): Promise<boolean> {
    const key = accountKey(username);
    return key !== undefined && (await this.#store.get(key)) !== undefined;
  }

  async create(username: string, password: string): Promise<Result<void, AccountProblem>> {
    const key = accountKey(username);
    if (key === undefined || !isReachableAtLogin(key)) return err('invalid-username');
    const prepared = preparePassword(password);
    if (prepared === undefined) return err('invalid-password');
    return this.#perUser.run(key, async () => {
      if ((await this.#store.get(key)) !== undefined) return err('exists');
      await this.#store.set(key, { scram: await this.#derive(prepared), created: new Date().toISOString() });
      return ok(undefined);
    });
  }

  async setPassword(username: string, password: string): Promise<Result<void, AccountProblem>> {
    const key = accountKey(username);
    if (key === undefined) return err('invalid-username');
    const prepared = preparePassword(password);
    if (prepared === undefined) return err('invalid-password');
    return this.#perUser.run(key, async () => {
      const record = await this.#store.get(key);
      if (record === undefined) return err('not-found');
      await this.#store.set(key, { ...record, scram: await this.#derive(prepared) });
      return ok(undefined);
    });
  }

  async delete(username: string): Promise<Result<void, AccountProblem>> {
    const key = accountKey(username);
    if (key === undefined) return err('invalid-username');
    return this.#perUser.run(key, async () => {
      if ((await this.#store.get(key)) === undefined) return err('not-found');
      await this.#store.delete(key);
      return ok(undefined);
    });
  }

  async getScram(username: string, hash: ScramHash): Promise<ScramCredentials | undefined> {
    const key = accountKey(username);
    if (key === undefined) return undefined;
    const credentials = (await this.#store.get(key))?.scram[hash];
    return credentials === undefined ? undefined : { ...credentials };
  }

  async verifyPassword(username: string, password: string): Promise<boolean> {
    const key = accountKey(username);
    const record = key === undefined ? undefined : await this.#store.get(key);
    const hash: ScramHash = record?.scram['SHA-256'] !== undefined ? 'SHA-256' : 'SHA-1';
    const credentials = record?.scram[hash];
    // RFC 3454 §7: a password being checked is a query, so unassigned code points are allowed.
    const prepared = prepareSaslString(password, { allowUnassigned: true });
    if (credentials === undefined || prepared === undefined || prepared === '') {
      // As many iterations as real accounts have, whatever `sasl_iterations` says now.
      await saltPassword('SHA-256', prepared ?? password, DECOY_SALT, await this.#census.iterations());
      return false;
    }
    const salted = await saltPassword(hash, prepared, Buffer.from(credentials.salt, 'base64'), credentials.iterations);
    const expected = Buffer.from(credentials.storedKey, 'base64');
    const actual = scramKeys(hash, salted).storedKey;
    return constantTimeEqual(actual, expected);
  }

  list(): Promise<string[]> {
    return this.#store.keys();
  }

  typicalIterations(): Promise<number> {
    return this.#census.iterations();
  }

  watch(listener: (username: string | undefined) => void): () => void {
    return this.#store.watch?.(listener) ?? (() => undefined);
  }

  async #derive(prepared: string): Promise<AccountRecord['scram']> {
    const scram: AccountRecord['scram'] = {};
    for (const hash of SCRAM_HASHES) {
      scram[hash] = await deriveScramCredentials(hash, prepared, { iterations: this.#iterations });
    }
    return scram;
  }
}

/** Opens the accounts of `host` on `driver` (store `accounts`). */
export function openAccountStore(
  driver: StorageDriver,
  host: string,
  options: AccountStoreOptions = {},
): AccountStore {
  const iterations = options.iterations ?? DEFAULT_SCRAM_ITERATIONS;
  if (!Number.isSafeInteger(iterations) || iterations < 1) throw new RangeError(`invalid SCRAM iteration count ${iterations}`);
  return new StoredAccountStore(driver.open<AccountRecord>(host, ACCOUNTS_STORE), host, iterations);
}
