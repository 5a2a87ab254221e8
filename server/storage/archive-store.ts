/**
 * The archive interface: stanzas kept in order per archive (a user's bare JID, a room's JID), for
 * Message Archive Management (XEP-0313) and room history. Unlike `KeyValueStore`, an archive
 * grows to millions of items and is read a page at a time, so every driver indexes it by archive,
 * id (time order) and peer. A resolved `append` survives a crash of the process (`kill -9`); an
 * engine may sync it to the disk a moment later (see the engine's own file for its window).
 */

/** One archived stanza. */
export interface ArchivedItem {
  /**
   * The archive-wide unique id, in time order (`newArchiveId`): the XEP-0359 `stanza-id` the
   * archive gave the stanza, and the RSM position of the item.
   */
  readonly id: string;
  /** When the stanza was archived, in milliseconds since the epoch. */
  readonly when: number;
  /**
   * Whom the stanza was exchanged with, for `with` queries: the peer's bare JID in a user's
   * archive (the full JID when a client asks for one is matched by the caller), the sender's
   * occupant JID (`room@service/nick`) in a room's archive.
   */
  readonly with: string;
  /** The stanza as this server serialised it. */
  readonly stanza: string;
}

/** What a MAM query asks for (XEP-0313 §4.1, XEP-0059). Every bound is optional. */
export interface ArchiveQuery {
  /** Only items whose `with` equals this, or whose `with` is this bare JID plus a resource. */
  readonly with?: string;
  /** Only items at or after this time (ms). */
  readonly start?: number;
  /** Only items at or before this time (ms). */
  readonly end?: number;
  /** Only items strictly after this id (RSM `after`, MAM `after-id`). */
  readonly afterId?: string;
  /** Only items strictly before this id (RSM `before`, MAM `before-id`). */
  readonly beforeId?: string;
  /** Only these ids (MAM #extended `ids`); other bounds still apply. */
  readonly ids?: readonly string[];
  /** Most items to return. */
  readonly limit: number;
  /**
   * Which end of the matching range the page comes from: false (default) for the oldest items
   * (paging forwards), true for the newest (RSM `<before/>`, paging backwards).
   */
  readonly fromEnd?: boolean;
}

/** One page of a query: items always oldest first, whichever end they came from. */
export interface ArchivePage {
  readonly items: readonly ArchivedItem[];
  /**
   * True when no further item matches beyond this page in the direction of the query (the RSM
   * `complete` flag of MAM: the last page forwards, or the first one backwards).
   */
  readonly complete: boolean;
  /** How many items match the query in all, when the driver knows it cheaply. */
  readonly count?: number;
}

/** Why a query cannot be answered. */
export type ArchiveQueryProblem = 'unknown-after-id' | 'unknown-before-id';

/** The archives of one kind (`archive` for users, `muc_log` for rooms) on one host. */
export interface ArchiveStore {
  /** Adds an item after the archive's others; resolves once it survives a crash of the process. */
  append(archive: string, item: ArchivedItem): Promise<void>;
  /**
   * A page of the archive. An `afterId` or `beforeId` the archive does not hold is a problem
   * (MAM answers `item-not-found`), not an empty page.
   */
  query(archive: string, query: ArchiveQuery): Promise<ArchivePage | ArchiveQueryProblem>;
  /** One item by id. */
  get(archive: string, id: string): Promise<ArchivedItem | undefined>;
  /** Replaces an item's stanza, keeping its id and time (a moderation tombstone); false if absent. */
  replace(archive: string, id: string, stanza: string): Promise<boolean>;
  /** Forgets a whole archive (account deleted, room destroyed). */
  deleteArchive(archive: string): Promise<void>;
  /** Forgets every item older than `when` (ms) in every archive of the store; resolves to how many. */
  deleteOlderThan(when: number): Promise<number>;
}
