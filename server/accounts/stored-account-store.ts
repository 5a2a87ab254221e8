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
import { AccountIndex, ACCOUNT_INDEX_STORE, type AccountIndexLine } from './account-index.js';
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
  /** Every account's keys in memory, where other processes can change the accounts (see `account-index.ts`). */
  readonly #index: AccountIndex | undefined;

  constructor(store: KeyValueStore<AccountRecord>, host: string, iterations: number, index: AccountIndex | undefined) {
    this.#store = store;
    this.#index = index;
    this.host = host;
    this.#iterations = iterations;
    this.#census = new IterationCensus(this, iterations);
  }

  async exists(username: string): Promise<boolean> {
    const key = accountKey(username);
    return key !== undefined && (await this.#scramOf(key)) !== undefined;
  }

  async create(username: string, password: string): Promise<Result<void, AccountProblem>> {
    const key = accountKey(username);
    if (key === undefined || !isReachableAtLogin(key)) return err('invalid-username');
    const prepared = preparePassword(password);
    if (prepared === undefined) return err('invalid-password');
    return this.#perUser.run(key, async () => {
      if ((await this.#store.get(key)) !== undefined) return err('exists');
      const record = { scram: await this.#derive(prepared), created: new Date().toISOString() };
      await this.#write(key, record);
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
      await this.#write(key, { ...record, scram: await this.#derive(prepared) });
      return ok(undefined);
    });
  }

  async delete(username: string): Promise<Result<void, AccountProblem>> {
    const key = accountKey(username);
    if (key === undefined) return err('invalid-username');
    return this.#perUser.run(key, async () => {
      if ((await this.#store.get(key)) === undefined) return err('not-found');
      await this.#write(key, undefined);
      return ok(undefined);
    });
  }

  async getScram(username: string, hash: ScramHash): Promise<ScramCredentials | undefined> {
    const key = accountKey(username);
    if (key === undefined) return undefined;
    const credentials = (await this.#scramOf(key))?.[hash];
    return credentials === undefined ? undefined : { ...credentials };
  }

  async verifyPassword(username: string, password: string): Promise<boolean> {
    const key = accountKey(username);
    const scram = key === undefined ? undefined : await this.#scramOf(key);
    const hash: ScramHash = scram?.['SHA-256'] !== undefined ? 'SHA-256' : 'SHA-1';
    const credentials = scram?.[hash];
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

  /** The account's SCRAM keys (callers copy before handing them out); undefined when it does not exist. */
  async #scramOf(key: string): Promise<AccountRecord['scram'] | undefined> {
    const index = this.#index;
    if (index === undefined) return (await this.#store.get(key))?.scram;
    const known = index.lookup(key);
    if (known !== undefined) return known ?? undefined;
    // Loading reads one log for all accounts; meanwhile (and for an unsure account) the file answers.
    index.load().catch(() => undefined); // a failed load leaves every lookup here, on the files
    const seen = index.changes;
    const scram = (await this.#store.get(key))?.scram;
    index.learn(key, scram, seen);
    return scram;
  }

  /** Writes (or, with undefined, removes) an account, telling the index before and after. */
  async #write(key: string, record: AccountRecord | undefined): Promise<void> {
    await this.#index?.changing(key);
    if (record === undefined) await this.#store.delete(key);
    else await this.#store.set(key, record);
    this.#index?.changed(key, record?.scram);
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
  const store = driver.open<AccountRecord>(host, ACCOUNTS_STORE);
  // Accounts only this process can change (the memory driver) are in memory already.
  let index: AccountIndex | undefined;
  if (store.watch !== undefined && driver.openLog !== undefined) {
    const created = new AccountIndex(driver.openLog<AccountIndexLine>(host, ACCOUNT_INDEX_STORE), store);
    store.watch((key) => created.forget(key));
    index = created;
  }
  return new StoredAccountStore(store, host, iterations, index);
}
