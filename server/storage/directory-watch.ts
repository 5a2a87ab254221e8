/**
 * Change notification for one store directory of the json-file driver, so that values cached in
 * memory are dropped when any process (this one, `salon passwd` run beside a running server, an
 * administrator's editor) changes, adds or removes a file. `fs.watch` is inotify on Linux, FSEvents
 * or kqueue elsewhere: the kernel queues an event at the change, and the event loop hands it to us
 * before any later input from the network that depends on the change.
 *
 * A store directory that does not exist yet (no offline message was ever stored) is watched through
 * its nearest existing ancestor up to the data directory: every key is absent until that ancestor
 * reports that something appeared. While nothing can be watched, `ensure()` says so and callers
 * read from disk as if there were no cache.
 *
 * While the store directory itself is watched, the watch also keeps a listing of its file names
 * (`directory-listing.ts`), so that a key with no file is known absent without opening it.
 */
import { watch, type FSWatcher } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import { DirectoryListing } from './directory-listing.js';

/** A failed attempt (no directory to watch, or the watch limit reached) is retried at most this often. */
const RETRY_MS = 1000;
/** Files of key-value stores and of append logs: a change to one says nothing about the others. */
const FILE_SUFFIXES = ['.json', '.log'];
const TEMPORARY_SUFFIX = '.tmp';

export interface DirectoryChanges {
  /** One file of the store changed (`name` is a file name in the store directory). */
  fileChanged(name: string): void;
  /** Anything in the store may have changed: the directory appeared, vanished or the watch was lost. */
  everythingChanged(): void;
}

export class DirectoryWatch {
  /** The store directory first, then its ancestors up to and including the driver's root. */
  readonly #chain: readonly string[];
  readonly #changes: DirectoryChanges;
  #watcher: FSWatcher | undefined;
  /** Whether the watched directory is the store's own (not an ancestor). */
  #watchingStore = false;
  #retryAt = 0;
  #closed = false;
  #epoch = 0;
  readonly #listing: DirectoryListing;

  constructor(directory: string, root: string, changes: DirectoryChanges) {
    this.#chain = ancestorsUpTo(directory, root);
    this.#changes = changes;
    this.#listing = new DirectoryListing(directory);
  }

  /**
   * Grows whenever watching stopped or everything may have changed: a value read from disk may be
   * kept only if the epoch is the same before and after the read.
   */
  get epoch(): number {
    return this.#epoch;
  }

  /**
   * Whether the file at `path` (in the store directory) may exist: false when the store directory
   * does not exist (it is watched through an ancestor, which reports the directory's creation), or
   * when the directory's listing, kept current by this watch, lacks the name. Call after `ensure()`
   * said the watch runs; true whenever nothing is known.
   */
  mayHold(path: string): boolean {
    if (this.#watcher === undefined) return true;
    if (!this.#watchingStore) return false;
    return this.#listing.mayHold(fileNameOf(path), this.#epoch);
  }

  /** This process is about to write the file at `path`: later reads must open it. */
  willWrite(path: string): void {
    this.#listing.note(fileNameOf(path));
  }

  /**
   * This process has just created the store directory: watch the directory itself from the next
   * `ensure()` on, without waiting for the ancestor's event, so a read after a write sees the file.
   */
  storeCreated(): void {
    if (this.#watcher === undefined || this.#watchingStore) return;
    this.#lose(this.#watcher);
    this.#retryAt = 0;
  }

  /** Whether changes are being watched now; starts watching when it can. */
  ensure(): boolean {
    if (this.#watcher !== undefined) return true;
    if (this.#closed || performance.now() < this.#retryAt) return false;
    this.#start();
    if (this.#watcher === undefined) this.#retryAt = performance.now() + RETRY_MS;
    return this.#watcher !== undefined;
  }

  close(): void {
    this.#closed = true;
    this.#stop();
  }

  #start(): void {
    let watcher: FSWatcher | undefined;
    let level = 0;
    for (; level < this.#chain.length && watcher === undefined; level++) watcher = this.#open(this.#chain[level]!);
    if (watcher === undefined) return;
    level--;
    // A deeper directory may have appeared between the attempts, unseen by the ancestor's watch.
    for (let deeper = 0; deeper < level; deeper++) {
      const closer = this.#open(this.#chain[deeper]!);
      if (closer === undefined) continue;
      watcher.close();
      watcher = closer;
      level = deeper;
      break;
    }
    this.#watcher = watcher;
    this.#watchingStore = level === 0;
  }

  #open(directory: string): FSWatcher | undefined {
    try {
      // persistent: false, so that a watch never keeps the process alive.
      const watcher = watch(directory, { persistent: false }, (_event, name) => this.#onEvent(watcher, name));
      watcher.on('error', () => this.#lose(watcher));
      return watcher;
    } catch {
      // ENOENT (not created yet), ENOTDIR, or ENOSPC (the system's watch limit): reads go to disk.
      return undefined;
    }
  }

  #onEvent(watcher: FSWatcher, name: string | Buffer | null): void {
    if (watcher !== this.#watcher) return;
    const fileName = typeof name === 'string' ? name : name?.toString('utf8');
    if (this.#watchingStore && fileName !== undefined && FILE_SUFFIXES.some((suffix) => fileName.endsWith(suffix))) {
      this.#listing.note(fileName);
      this.#changes.fileChanged(fileName);
      return;
    }
    // Our own and others' write-in-progress files: the rename that follows names the real file.
    if (this.#watchingStore && fileName?.endsWith(TEMPORARY_SUFFIX) === true) return;
    // The directory itself (created, removed, renamed), an unnamed event, or a change seen from an
    // ancestor: start again from the deepest directory that exists now.
    this.#lose(watcher);
    this.#retryAt = 0;
  }

  #lose(watcher: FSWatcher): void {
    if (watcher !== this.#watcher) return;
    this.#stop();
    this.#changes.everythingChanged();
  }

  #stop(): void {
    this.#epoch++;
    this.#watcher?.close();
    this.#watcher = undefined;
    this.#watchingStore = false;
  }
}

/**
 * The file name at the end of a store file's path. The stores build their paths as directory,
 * separator, name, so the last separator is the one: no `basename` (which also strips trailing
 * separators) on every read of a key.
 */
function fileNameOf(path: string): string {
  return path.slice(path.lastIndexOf(sep) + 1);
}

/** `directory` and each parent up to `root` (inclusive); just `directory` when it is not below `root`. */
function ancestorsUpTo(directory: string, root: string): string[] {
  const chain = [directory];
  if (relative(root, directory).startsWith('..')) return chain;
  for (let current = directory; current !== root;) {
    const parent = dirname(current);
    if (parent === current) break;
    chain.push(parent);
    current = parent;
  }
  return chain;
}
