/**
 * One store of the json-file driver: a directory holding one `<encoded key>.json` file per key.
 * Keys whose encoded name would be too long for a file system are stored under a hash of the key,
 * in an envelope that keeps the key itself (`{"key": …, "value": …}`).
 */
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { KeyValueStore } from './store.js';
import type { KeyedQueue } from './keyed-queue.js';
import { decodeName, encodeName } from './file-name.js';
import {
  ensureDirectory, isNotFound, readTextIfPresent, removeFileDurably, unlinkIfPresent, writeFileDurably,
} from './durable-file.js';
import type { DirectoryWatch } from './directory-watch.js';
import type { ReadCache } from './read-cache.js';

/** Most file systems cap names at 255 bytes; leave room for `.json` and the temporary suffix. */
const MAX_ENCODED_KEY = 200;
const HASHED_PREFIX = '~';
const SUFFIX = '.json';
const TEMPORARY_SUFFIX = '.tmp';
/** A temporary file this old is a crash leftover, not another process's write in progress. */
const STALE_TEMPORARY_MS = 10 * 60_000;

/** What every store of one driver shares. */
export interface JsonFileContext {
  readonly queue: KeyedQueue;
  /** File texts kept in memory while their directory is watched. */
  readonly cache: ReadCache;
  /** The change watch of a store directory (one per directory, shared by every store opened on it). */
  watchFor(directory: string): DirectoryWatch;
  /** Listens to the changes of a store directory: a file name, or undefined for "anything". */
  listen(directory: string, listener: (fileName: string | undefined) => void): () => void;
  /** A temporary-file suffix unique to this driver instance and call (ends in `.tmp`). */
  temporarySuffix(): string;
  /** Throws when the driver has been closed: writing after close is a bug. */
  assertOpen(): void;
}

interface KeyFile {
  path: string;
  /** Whether the file holds an envelope with the key (hashed name) or the bare value. */
  hashed: boolean;
}

interface Envelope {
  key: string;
  value: unknown;
}

function isEnvelope(value: unknown): value is Envelope {
  return typeof value === 'object' && value !== null && typeof (value as Envelope).key === 'string'
    && 'value' in value;
}

/** Parses a JSON file's text; undefined when it does not exist, an Error naming it when it is corrupt. */
function parseJson(path: string, text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new Error(`corrupt storage file ${path}`, { cause });
  }
}

function asEnvelope(path: string, content: unknown): Envelope | undefined {
  if (content === undefined) return undefined;
  if (!isEnvelope(content)) throw new Error(`corrupt storage file ${path}: expected {key, value}`);
  return content;
}

/** Reads a JSON file from disk, bypassing the cache (listing keys reads each hashed file once). */
async function readEnvelope(path: string): Promise<Envelope | undefined> {
  return asEnvelope(path, parseJson(path, await readTextIfPresent(path)));
}

/** The key a file holds, from its name; undefined for a hashed name (the key is inside the file). */
function keyOfFile(fileName: string): string | undefined {
  if (!fileName.endsWith(SUFFIX) || fileName.startsWith(HASHED_PREFIX)) return undefined;
  return decodeName(fileName.slice(0, -SUFFIX.length));
}

export class JsonFileStore<T> implements KeyValueStore<T> {
  readonly #directory: string;
  readonly #context: JsonFileContext;
  readonly #watch: DirectoryWatch;
  #directoryReady: Promise<void> | undefined;

  constructor(directory: string, context: JsonFileContext) {
    this.#directory = directory;
    this.#context = context;
    this.#watch = context.watchFor(directory);
  }

  watch(listener: (key: string | undefined) => void): () => void {
    const stop = this.#context.listen(this.#directory, (fileName) => {
      // A lost watch (the directory appeared or was replaced) is set up again at once, not at the next read.
      if (fileName === undefined) this.#watch.ensure();
      listener(fileName === undefined ? undefined : keyOfFile(fileName));
    });
    this.#watch.ensure(); // changes are seen from now on, not only after the next read
    return stop;
  }

  isWatched(): boolean {
    return this.#watch.ensure();
  }

  async get(key: string): Promise<T | undefined> {
    const file = this.#fileFor(key);
    // Read-your-writes: a value queued earlier is the one to return.
    const writing = this.#context.queue.settled(file.path);
    if (writing !== undefined) await writing;
    const content = parseJson(file.path, await this.#context.cache.read(file.path, this.#watch));
    if (!file.hashed) return content as T | undefined;
    const envelope = asEnvelope(file.path, content);
    if (envelope !== undefined && envelope.key !== key) throw new Error(`storage file ${file.path} holds another key`);
    return envelope?.value as T | undefined;
  }

  knownAbsent(key: string): boolean {
    const file = this.#fileFor(key);
    // A write queued for the file may create it: only a read after it can tell.
    return !this.#context.queue.busy(file.path) && this.#context.cache.knownAbsent(file.path, this.#watch);
  }

  async set(key: string, value: T): Promise<void> {
    this.#context.assertOpen();
    const file = this.#fileFor(key);
    // Serialised now: later mutations of `value` by the caller do not reach the disk.
    const json = JSON.stringify(value) as string | undefined;
    if (json === undefined) throw new TypeError(`value for ${key} is not JSON-serialisable`);
    const data = file.hashed ? `{"key":${JSON.stringify(key)},"value":${json}}` : json;
    const temporary = file.path + this.#context.temporarySuffix();
    const { cache } = this.#context;
    cache.forget(file.path);
    this.#watch.willWrite(file.path);
    return this.#context.queue.run(file.path, async () => {
      try {
        await this.#ensureDirectory();
        await writeFileDurably(file.path, temporary, data);
      } finally {
        // A read that started while the file was being replaced may have seen either content.
        cache.forget(file.path);
      }
    });
  }

  async delete(key: string): Promise<void> {
    this.#context.assertOpen();
    const file = this.#fileFor(key);
    const { cache } = this.#context;
    cache.forget(file.path);
    return this.#context.queue.run(file.path, async () => {
      try {
        await removeFileDurably(file.path);
      } finally {
        cache.forget(file.path);
      }
    });
  }

  async keys(): Promise<string[]> {
    const prefix = this.#directory + sep;
    await this.#context.queue.drain((path) => path.startsWith(prefix));
    let names: string[];
    try {
      names = await readdir(this.#directory);
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
    const keys: string[] = [];
    for (const name of names) {
      // Most names are keys as they stand: no await each (the account index lists every account).
      const key = keyOfFile(name) ?? await this.#keyOf(name);
      if (key !== undefined) keys.push(key);
    }
    return keys;
  }

  /** The key a directory entry stores, or undefined for temporary and foreign files. */
  async #keyOf(name: string): Promise<string | undefined> {
    if (name.endsWith(TEMPORARY_SUFFIX)) {
      await this.#sweepIfStale(join(this.#directory, name));
      return undefined;
    }
    if (!name.endsWith(SUFFIX)) return undefined;
    const stem = name.slice(0, -SUFFIX.length);
    if (!stem.startsWith(HASHED_PREFIX)) return decodeName(stem);
    return (await readEnvelope(join(this.#directory, name)))?.key;
  }

  /** Removes a temporary file left behind by a crash (old enough not to be a write in progress). */
  async #sweepIfStale(path: string): Promise<void> {
    try {
      const info = await stat(path);
      if (Date.now() - info.mtimeMs < STALE_TEMPORARY_MS) return;
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    await unlinkIfPresent(path);
  }

  #fileFor(key: string): KeyFile {
    const encoded = encodeName(key);
    // Plain concatenation: the directory is absolute and normalised, and an encoded name holds no separator.
    if (encoded.length <= MAX_ENCODED_KEY) return { path: `${this.#directory}${sep}${encoded}${SUFFIX}`, hashed: false };
    const digest = createHash('sha256').update(key, 'utf8').digest('hex');
    return { path: join(this.#directory, HASHED_PREFIX + digest + SUFFIX), hashed: true };
  }

  #ensureDirectory(): Promise<void> {
    this.#directoryReady ??= ensureDirectory(this.#directory).then(() => this.#watch.storeCreated(), (error: unknown) => {
      this.#directoryReady = undefined; // let the next write try again
      throw error;
    });
    return this.#directoryReady;
  }
}
