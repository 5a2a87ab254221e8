/**
 * The API the `private` module offers other modules of its host (under `privateStorageKey`):
 * - one stored fragment read and forgotten by key, through the module's own per-user write queue
 *   (the `bookmarks` module moves XEP-0048 bookmarks kept here into PEP with it);
 * - interception of one fragment key: its gets and sets are answered by another module and never
 *   stored here (XEP-0411: XEP-0048 bookmarks live in PEP once `bookmarks` is loaded).
 */
import type { Element } from 'ltx';
import { serviceKey } from '../../server/modules/index.js';
import type { Result, StanzaError } from '../../server/errors/index.js';
import type { Jid } from '../../server/jid/index.js';
import type { PrivateStore } from './private-store.js';

/** Answers one fragment key in place of the store. */
export interface PrivateInterceptor {
  /** The fragment to answer a get with (the empty element when there is nothing). */
  get(owner: Jid): Promise<Element>;
  /** Keeps a set fragment (an empty element means forgetting it). */
  set(owner: Jid, fragment: Element): Promise<Result<void, StanzaError>>;
}

export interface PrivateStorage {
  /** The XML stored under `key` (`name:namespace`, e.g. `storage:storage:bookmarks`), if any. */
  read(username: string, key: string): Promise<string | undefined>;
  /** Forgets what is stored under `key`. */
  forget(username: string, key: string): Promise<Result<void, StanzaError>>;
  /** Sends gets and sets of `key` to `interceptor`; the returned function stops it. One per key. */
  intercept(key: string, interceptor: PrivateInterceptor): () => void;
}

export const privateStorageKey = serviceKey<PrivateStorage>('private');

export function createPrivateStorage(store: PrivateStore, interceptors: Map<string, PrivateInterceptor>): PrivateStorage {
  return {
    read: (username, key) => store.get(username, key),
    forget: (username, key) => store.apply(username, [{ key, xml: undefined }]),
    intercept(key, interceptor) {
      if (interceptors.has(key)) throw new Error(`private storage key ${key} is already intercepted`);
      interceptors.set(key, interceptor);
      return () => {
        if (interceptors.get(key) === interceptor) interceptors.delete(key);
      };
    },
  };
}
