/**
 * An append-only log for a driver that offers none (`StorageDriver.openLog` is optional): each
 * key's records kept as one list value, rewritten on every append. Correct, not economical; the
 * drivers Salon ships have their own logs.
 */
import type { AppendLog } from './append-log.js';
import { KeyedQueue } from './keyed-queue.js';
import type { KeyValueStore, StorageDriver } from './store.js';

class LogOverStore<T> implements AppendLog<T> {
  readonly #store: KeyValueStore<T[]>;
  /** Read-modify-write per key, one at a time, so that concurrent appends all land. */
  readonly #queue = new KeyedQueue();

  constructor(store: KeyValueStore<T[]>) {
    this.#store = store;
  }

  append(key: string, record: T): Promise<void> {
    const copy = structuredClone(record); // what the caller passed now, not what it changes later
    return this.#queue.run(key, async () => {
      await this.#store.set(key, [...((await this.#store.get(key)) ?? []), copy]);
    });
  }

  async read(key: string): Promise<T[]> {
    await this.#queue.settled(key);
    return (await this.#store.get(key)) ?? [];
  }

  replace(key: string, records: readonly T[]): Promise<void> {
    const copy = structuredClone([...records]);
    return this.#queue.run(key, async () => {
      if (copy.length === 0) await this.#store.delete(key);
      else await this.#store.set(key, copy);
    });
  }

  delete(key: string): Promise<void> {
    return this.#queue.run(key, () => this.#store.delete(key));
  }
}

/** The driver's own log for `store` on `host`, or one kept in its key-value store `<store>_log`. */
export function openAppendLog<T>(driver: StorageDriver, host: string, store: string): AppendLog<T> {
  return driver.openLog?.<T>(host, store) ?? new LogOverStore<T>(driver.open<T[]>(host, `${store}_log`));
}
