/**
 * Users' vCards in the `vcard` store (Prosody's name), one record per account: the vCard as
 * XML text and the hash of its photo, worked out once when it is saved (XEP-0153), since every
 * available presence of the user needs it. The hashes are cached: a bounded LRU whose entries
 * expire, replaced on write and dropped through the store's watch when another process (`salon
 * deluser`) changes a record.
 */
import type { Element } from 'ltx';
import { LRUCache } from 'lru-cache';
import type { KeyValueStore } from '../../server/storage/index.js';
import { parseXmlFragment, serializeElement } from '../../server/xml/index.js';
import { avatarHashOf } from './photo-hash.js';
import { VCARD_TEMP } from './vcard-namespaces.js';

interface StoredVCard {
  readonly xml: string;
  /** Hex SHA-1 of the photo, `''`: no image, null: the image is only a URL. */
  readonly avatar: string | null;
}

/** What presence announces for a user: a hash, `''` (no image), or undefined (nothing to say). */
export type AvatarAnnouncement = string | undefined;

const NO_VCARD: { readonly avatar: AvatarAnnouncement } = Object.freeze({ avatar: undefined });

/** A vCard entered through a stream and passed its limits: these only bound damaged files. */
const STORED_LIMITS = { maxDepth: 1000, maxAttributes: 64 };

export class VCardStore {
  readonly #store: KeyValueStore<unknown>;
  // Boxed so that "no vCard, nothing to announce" is remembered too.
  readonly #avatars = new LRUCache<string, { avatar: AvatarAnnouncement }>({ max: 10_000, ttl: 10 * 60_000 });
  readonly #unwatch: (() => void) | undefined;

  constructor(store: KeyValueStore<unknown>) {
    this.#store = store;
    this.#unwatch = store.watch?.((key) => (key === undefined ? this.#avatars.clear() : this.#avatars.delete(key)));
  }

  close(): void {
    this.#unwatch?.();
  }

  /** The user's vCard, undefined when none is stored (or the record is damaged). */
  async get(username: string): Promise<Element | undefined> {
    if (this.#store.knownAbsent?.(username) === true) return undefined;
    const stored = readStored(await this.#store.get(username));
    if (stored === undefined) return undefined;
    const parsed = parseXmlFragment(stored.xml, { ...STORED_LIMITS, maxStanzaBytes: Buffer.byteLength(stored.xml) });
    return parsed.ok && parsed.value.local === 'vCard' && parsed.value.uri === VCARD_TEMP ? parsed.value.element : undefined;
  }

  /** Saves the vCard (durably) and its photo hash; `xml` is its serialisation, already measured. */
  async set(username: string, vcard: Element, xml = serializeElement(vcard)): Promise<void> {
    const avatar = avatarHashOf(vcard);
    this.#avatars.delete(username);
    await this.#store.set(username, { xml, avatar: avatar ?? null } satisfies StoredVCard);
    this.#avatars.set(username, { avatar });
  }

  async remove(username: string): Promise<void> {
    this.#avatars.delete(username);
    await this.#store.delete(username);
    this.#avatars.delete(username);
  }

  /** The cached announcement: `{ avatar }` when known without reading the store. */
  cachedAvatar(username: string): { avatar: AvatarAnnouncement } | undefined {
    return this.#avatars.get(username);
  }

  /**
   * The announcement when known without waiting: cached, or nothing to announce for a user the
   * store knows has no vCard. Most users never store one: they take no cache entry, and their
   * first presence needs no store read.
   */
  avatarNow(username: string): { avatar: AvatarAnnouncement } | undefined {
    return this.#avatars.get(username) ?? (this.#store.knownAbsent?.(username) === true ? NO_VCARD : undefined);
  }

  /** What the user's presence announces (from the cache, else the store). */
  async avatar(username: string): Promise<AvatarAnnouncement> {
    const cached = this.avatarNow(username);
    if (cached !== undefined) return cached.avatar;
    const stored = readStored(await this.#store.get(username));
    const avatar = stored === undefined ? undefined : (stored.avatar ?? undefined);
    // A `set` that finished while this read was under way has cached the newer answer.
    if (!this.#avatars.has(username)) this.#avatars.set(username, { avatar });
    return avatar;
  }
}

function readStored(value: unknown): StoredVCard | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { xml, avatar } = value as Record<string, unknown>;
  if (typeof xml !== 'string') return undefined;
  return { xml, avatar: typeof avatar === 'string' ? avatar : null };
}
