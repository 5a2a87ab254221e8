/**
 * When each user last went offline and the status text they left with (XEP-0012 §3), one record
 * per user in the `lastactivity` store. Writes for one user run in order, so the latest logout
 * is the one kept.
 */
import { KeyedQueue, type KeyValueStore } from '../../server/storage/index.js';

export interface LastLogout {
  /** Milliseconds since the epoch. */
  readonly at: number;
  /** The `<status/>` of the unavailable presence; empty when there was none (a lost connection). */
  readonly status: string;
}

/**
 * The most characters of status text kept: a status is one line for humans, and a record per
 * user must not grow with whatever a client puts into its last presence.
 */
export const MAX_STATUS_CHARACTERS = 1024;

function isLastLogout(value: unknown): value is LastLogout {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.at === 'number' && Number.isFinite(record.at) && typeof record.status === 'string';
}

/** `status` cut to `MAX_STATUS_CHARACTERS` characters (never inside a surrogate pair). */
export function boundedStatus(status: string): string {
  if (status.length <= MAX_STATUS_CHARACTERS) return status;
  return Array.from(status).slice(0, MAX_STATUS_CHARACTERS).join('');
}

export class LastLogoutStore {
  readonly #store: KeyValueStore<unknown>;
  readonly #accountExists: (username: string) => Promise<boolean>;
  readonly #writes = new KeyedQueue();

  constructor(store: KeyValueStore<unknown>, accountExists: (username: string) => Promise<boolean>) {
    this.#store = store;
    this.#accountExists = accountExists;
  }

  async get(username: string): Promise<LastLogout | undefined> {
    await this.#writes.settled(username);
    const value = await this.#store.get(username);
    return isLastLogout(value) ? value : undefined;
  }

  record(username: string, logout: LastLogout): Promise<void> {
    const bounded: LastLogout = { at: logout.at, status: boundedStatus(logout.status) };
    return this.#writes.run(username, async () => {
      // A removed account's sessions end after its removal: their logout must not bring a
      // record back that `remove` just deleted.
      if (await this.#accountExists(username)) await this.#store.set(username, bounded);
    });
  }

  remove(username: string): Promise<void> {
    return this.#writes.run(username, () => this.#store.delete(username));
  }
}
