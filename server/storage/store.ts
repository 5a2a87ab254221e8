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
}

/** A storage backend (memory, json-file, …). */
export interface StorageDriver {
  readonly name: string;
  open<T>(host: string, store: string): KeyValueStore<T>;
  /** Waits for every queued write to be durable. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
