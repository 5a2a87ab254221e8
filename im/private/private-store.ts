/**
 * Each user's private XML (XEP-0049), kept as one record per user in the `private` store: the
 * serialised fragments by key. One record per user makes the byte limit a single read and account
 * deletion a single delete. Changes to one user's record run one at a time (two resources
 * storing at once must not lose either write).
 */
import { err, ok, StanzaError, type Result } from '../../server/errors/index.js';
import { KeyedQueue, type KeyValueStore } from '../../server/storage/index.js';

/** Fragment key (`name:namespace`) → the fragment's XML. */
export type PrivateRecord = Record<string, string>;

/** A change to one fragment: its new XML, or `undefined` to forget it. */
export interface PrivateChange {
  readonly key: string;
  readonly xml: string | undefined;
}

/** The bytes a record costs against `private_max_bytes`: every key and every fragment, in UTF-8. */
export function recordBytes(record: PrivateRecord): number {
  let bytes = 0;
  for (const [key, xml] of Object.entries(record)) bytes += Buffer.byteLength(key, 'utf8') + Buffer.byteLength(xml, 'utf8');
  return bytes;
}

function isRecord(value: unknown): value is PrivateRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    && Object.values(value).every((xml) => typeof xml === 'string');
}

export class PrivateStore {
  readonly #store: KeyValueStore<unknown>;
  readonly #maxBytes: number;
  readonly #writes = new KeyedQueue();

  constructor(store: KeyValueStore<unknown>, maxBytes: number) {
    this.#store = store;
    this.#maxBytes = maxBytes;
  }

  /** The stored XML of one fragment, after any change of this user still being written. */
  async get(username: string, key: string): Promise<string | undefined> {
    await this.#writes.settled(username);
    return (await this.#read(username))[key];
  }

  /**
   * Applies `changes` together, or none of them when the record would pass the byte limit
   * (`resource-constraint`: storing less, or deleting something first, works).
   */
  apply(username: string, changes: readonly PrivateChange[]): Promise<Result<void, StanzaError>> {
    return this.#writes.run(username, async () => {
      const record = { ...(await this.#read(username)) };
      for (const { key, xml } of changes) {
        if (xml === undefined) delete record[key];
        else record[key] = xml;
      }
      const bytes = recordBytes(record);
      if (bytes > this.#maxBytes) {
        return err(StanzaError.wait('resource-constraint', { text: `Private storage is limited to ${this.#maxBytes} bytes per user` }));
      }
      if (bytes === 0) await this.#store.delete(username);
      else await this.#store.set(username, record);
      return ok(undefined);
    });
  }

  /** Forgets everything the user stored (account deleted). */
  remove(username: string): Promise<void> {
    return this.#writes.run(username, () => this.#store.delete(username));
  }

  async #read(username: string): Promise<PrivateRecord> {
    const value = await this.#store.get(username);
    // A record this module did not write (edited by hand) is treated as empty, not trusted.
    return isRecord(value) ? value : {};
  }
}
