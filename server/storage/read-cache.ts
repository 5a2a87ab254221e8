/**
 * The json-file driver's memory of what its files hold, so that a login does not open, read and
 * close the same account file (and find, again, that the user has no offline messages) each time.
 *
 * What is kept is a file's text, or the fact that it does not exist; every `get` parses its own
 * copy, so callers may change what they read. An entry is used only while its store directory is
 * watched (`DirectoryWatch`), and dropped
 * - synchronously when this process writes or removes the file (before and after the write),
 * - when the watch reports that any process changed the file, or lost track of the directory,
 * - after `ENTRY_TTL_MS` in any case: a bound on staleness should a change notification be lost
 *   (the kernel's event queue overflowed, or a network file system changed on another machine).
 * Concurrent reads of one file share one disk read; a read that overlaps a change is returned to
 * its callers but not kept.
 */
import { LRUCache } from 'lru-cache';
import { readTextIfPresent } from './durable-file.js';
import type { DirectoryWatch } from './directory-watch.js';

/** Files remembered at most (all stores of one driver together). */
const MAX_ENTRIES = 20_000;
/** Characters of file text remembered at most (≈ 16–32 MiB). */
const MAX_CHARACTERS = 16 * 1024 * 1024;
/** Larger files are read each time: they are rosters of thousands, read rarely and cached above. */
const MAX_ENTRY_CHARACTERS = 1024 * 1024;
const ENTRY_TTL_MS = 60_000;
/** What an entry holds for a file that does not exist (an empty file is text: corrupt JSON). */
const ABSENT: unique symbol = Symbol('absent');
type Entry = string | typeof ABSENT;

interface Flight {
  readonly text: Promise<string | undefined>;
  /** Set when the file changed while it was being read. */
  stale: boolean;
}

export class ReadCache {
  readonly #entries = new LRUCache<string, Entry>({
    max: MAX_ENTRIES,
    maxSize: MAX_CHARACTERS,
    maxEntrySize: MAX_ENTRY_CHARACTERS,
    sizeCalculation: (entry, path) => (entry === ABSENT ? 0 : entry.length) + path.length + 1,
    ttl: ENTRY_TTL_MS,
    ttlAutopurge: false,
  });
  readonly #flights = new Map<string, Flight>();

  /** The text of the file at `path`, undefined when it does not exist; from memory when it can. */
  read(path: string, watch: DirectoryWatch): Promise<string | undefined> {
    const known = this.#entries.get(path);
    if (known !== undefined) return Promise.resolve(known === ABSENT ? undefined : known);
    // A store whose directory does not exist yet (no offline message, no block list) has no file,
    // and neither has a key missing from the listing of a watched directory (a user with no roster).
    if (watch.ensure() && !watch.mayHold(path)) return Promise.resolve(undefined);
    const flight = this.#flights.get(path);
    if (flight !== undefined) return flight.text;
    return this.#readFromDisk(path, watch);
  }

  /**
   * Whether the file at `path` is known not to exist without reading: what `read` would answer at
   * once with undefined (remembered absent, or missing from its watched directory).
   */
  knownAbsent(path: string, watch: DirectoryWatch): boolean {
    const known = this.#entries.get(path);
    if (known !== undefined) return known === ABSENT;
    return watch.ensure() && !watch.mayHold(path);
  }

  /** Forgets the file at `path`; a read of it in progress will not be kept. */
  forget(path: string): void {
    this.#entries.delete(path);
    const flight = this.#flights.get(path);
    if (flight === undefined) return;
    flight.stale = true;
    this.#flights.delete(path);
  }

  /** Forgets every file under `directory` (a path ending in the separator). */
  forgetUnder(directory: string): void {
    for (const path of this.#entries.keys()) if (path.startsWith(directory)) this.#entries.delete(path);
    for (const [path, flight] of this.#flights) {
      if (!path.startsWith(directory)) continue;
      flight.stale = true;
      this.#flights.delete(path);
    }
  }

  clear(): void {
    this.#entries.clear();
    for (const flight of this.#flights.values()) flight.stale = true;
    this.#flights.clear();
  }

  #readFromDisk(path: string, watch: DirectoryWatch): Promise<string | undefined> {
    const keep = watch.ensure();
    const epoch = watch.epoch;
    const done = (): boolean => {
      if (this.#flights.get(path) === flight) this.#flights.delete(path);
      return keep && !flight.stale && watch.epoch === epoch;
    };
    const flight: Flight = {
      text: readTextIfPresent(path).then(
        (text) => {
          if (done()) this.#entries.set(path, text ?? ABSENT);
          return text;
        },
        (error: unknown) => {
          done();
          throw error;
        },
      ),
      stale: false,
    };
    this.#flights.set(path, flight);
    return flight.text;
  }
}
