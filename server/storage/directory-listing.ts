/**
 * The names of the files in one watched store directory, read once (one asynchronous `readdir`)
 * and kept current by the directory's change watch, so that a key known to be missing is never
 * opened. A user with no roster, no offline message or no block list costs a failed file open per
 * store at each first login otherwise, and a failed open is dearer than a read: Node builds an
 * error, with its stack, for each.
 *
 * The set answers "may exist", never "exists": every name the watch reports, and every name this
 * process writes, is added; nothing is ever taken out (a removed file is found missing by the one
 * read that opens it, and the read cache remembers that). So a stale entry costs one open, and a
 * missing entry is impossible while the listing is used:
 * - it is used only while the watch on the store directory itself has been running without a break
 *   since before the `readdir` started (the watch's epoch is unchanged): a file created after the
 *   watch began is either in the `readdir` result or reported by the watch;
 * - names reported or written while the `readdir` runs are kept aside and added to its result;
 * - it is read again after `LISTING_TTL_MS`, the read cache's bound on staleness should a change
 *   notification be lost. Until a listing is ready, reads go to disk as before: nothing waits for it.
 */
import { readdir } from 'node:fs/promises';

/** As the read cache's entry lifetime: how long a listing is trusted without being read again. */
const LISTING_TTL_MS = 60_000;
/** Larger directories are not listed (about 100 bytes of memory per name): reads go to disk. */
const MAX_LISTED_NAMES = 250_000;

interface Listing {
  readonly names: Set<string>;
  /** The watch epoch the listing was read under; it is void once the epoch moves on. */
  readonly epoch: number;
  readonly readAt: number;
}

interface Reading {
  readonly epoch: number;
  /** Names reported or written meanwhile, which the `readdir` result may miss. */
  readonly seen: Set<string>;
}

export class DirectoryListing {
  readonly #directory: string;
  #listing: Listing | undefined;
  #reading: Reading | undefined;
  /** Set when the directory is too large to list: no further attempt until the watch starts over. */
  #tooLargeAt: number | undefined;

  constructor(directory: string) {
    this.#directory = directory;
  }

  /**
   * Whether a file of this name may exist, given the epoch of a watch on the store directory
   * that is running now: false only when the listing is valid and lacks it. Starts reading the
   * listing when there is none for this epoch.
   */
  mayHold(name: string, epoch: number): boolean {
    const listing = this.#listing;
    if (listing !== undefined && listing.epoch === epoch && performance.now() - listing.readAt < LISTING_TTL_MS) {
      return listing.names.has(name);
    }
    this.#read(epoch);
    return true;
  }

  /** A file of this name may have appeared (the watch reported it, or this process writes it). */
  note(name: string): void {
    this.#listing?.names.add(name);
    this.#reading?.seen.add(name);
  }

  #read(epoch: number): void {
    if (this.#reading?.epoch === epoch || this.#tooLargeAt === epoch) return;
    const reading: Reading = { epoch, seen: new Set() };
    this.#reading = reading;
    const readAt = performance.now();
    readdir(this.#directory).then(
      (names) => {
        if (this.#reading !== reading) return; // a later reading replaced this one
        this.#reading = undefined;
        if (names.length > MAX_LISTED_NAMES) {
          this.#listing = undefined;
          this.#tooLargeAt = epoch;
          return;
        }
        const listed = new Set(names);
        for (const name of reading.seen) listed.add(name);
        this.#listing = { names: listed, epoch, readAt };
      },
      () => {
        // The directory vanished or cannot be read: its watch reports that; reads go to disk meanwhile.
        if (this.#reading === reading) this.#reading = undefined;
      },
    );
  }
}
