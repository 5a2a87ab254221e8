import type { AppendLog } from './append-log.js';
import type { ArchiveStore } from './archive-store.js';

/**
 * The storage interface: one keyed store per kind of data and host ("accounts" on localhost,
 * "roster" on localhost, "rooms" on conference.localhost, …). Values are JSON-serialisable.
 * A resolved `set` means the value is durable: acknowledged data survives `kill -9`.
 */
export interface KeyValueStore<T> {
  get(key: string): Promise<T | undefined>;
  set(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
  keys(): Promise<string[]>;
  /**
   * Calls `listener` when a key may have changed, by this process or another one sharing the
   * storage (`salon deluser` beside a running server); `undefined` means any key may have.
   * Returns the function that stops listening. Offered by drivers other processes can change.
   */
  watch?(listener: (key: string | undefined) => void): () => void;
  /**
   * Whether `watch` listeners hear of changes now (starts watching when it can). A copy kept in
   * memory beside the store (the account index) may be trusted only while this holds.
   */
  isWatched?(): boolean;
  /**
   * True when the store knows, without any I/O, that `key` has no value: what `get` would answer
   * now is undefined. False whenever it cannot tell (a read would have to go to disk). Lets a
   * caller keep a per-login path synchronous for the many users who never stored anything (no
   * vCard, no PEP node). Offered by drivers that can answer cheaply.
   */
  knownAbsent?(key: string): boolean;
}

/** A storage backend (memory, json-file, …). */
export interface StorageDriver {
  readonly name: string;
  open<T>(host: string, store: string): KeyValueStore<T>;
  /**
   * An append-only log per key for `store` on `host` (data that grows a record at a time). A
   * driver without one gets a log kept in its key-value store (`openAppendLog`).
   */
  openLog?<T>(host: string, store: string): AppendLog<T>;
  /** The archives of `store` on `host` (message archives, room history): see `ArchiveStore`. */
  openArchive(host: string, store: string): ArchiveStore;
  /** Waits for every queued write to be durable. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
