/**
 * A keyed append-only log: a store whose values grow one record at a time (offline messages), so
 * that a new record costs one appended line and one fsync instead of rewriting every record
 * already kept. Records are JSON-serialisable; a resolved `append` or `replace` is durable.
 */

/** The records of one kind of data on one host, one log per key. */
export interface AppendLog<T> {
  /** Adds a record after the key's others; resolves once it is durable. */
  append(key: string, record: T): Promise<void>;
  /**
   * The key's records, oldest first; [] when it has none. A record torn by a crash in the
   * middle of its append (never acknowledged) is not returned.
   */
  read(key: string): Promise<T[]>;
  /** Replaces the key's records at once (compaction, putting records back); [] removes the log. */
  replace(key: string, records: readonly T[]): Promise<void>;
  delete(key: string): Promise<void>;
}
