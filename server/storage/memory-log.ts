/**
 * The `memory` driver's append-only logs: the same semantics as the file logs (records copied
 * in and out, oldest first, `replace([])` removes), without the disk.
 */
import type { AppendLog } from './append-log.js';

export class MemoryLog<T> implements AppendLog<T> {
  readonly #logs: Map<string, T[]>;

  constructor(logs: Map<string, T[]>) {
    this.#logs = logs;
  }

  async append(key: string, record: T): Promise<void> {
    const copy = structuredClone(record);
    const records = this.#logs.get(key);
    if (records === undefined) this.#logs.set(key, [copy]);
    else records.push(copy);
  }

  async read(key: string): Promise<T[]> {
    return structuredClone(this.#logs.get(key) ?? []);
  }

  async replace(key: string, records: readonly T[]): Promise<void> {
    if (records.length === 0) this.#logs.delete(key);
    else this.#logs.set(key, structuredClone([...records]));
  }

  async delete(key: string): Promise<void> {
    this.#logs.delete(key);
  }
}
