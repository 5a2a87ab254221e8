/**
 * The `internal` driver's append-only logs: `<encoded key>.log` in the store's directory, one
 * record per line, each line the JSON array `[record]`.
 *
 * - An append opens the file for appending, writes one line and fsyncs it (and the directory,
 *   when the file is new): nothing already kept is rewritten, and a resolved append survives
 *   `kill -9` or a power cut.
 * - A crash during an append can leave a torn last line. Reading drops it: a strict prefix of
 *   `[…]` is never valid JSON (its closing bracket is the last character), and a line that does
 *   not parse as a one-element array was never acknowledged. The next append first ends a torn
 *   line, so later records stay whole.
 * - `replace` rewrites the file atomically (temporary file, fsync, rename): compaction.
 * Reads go through the driver's read cache, like the key-value files.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import type { AppendLog } from './append-log.js';
import { ensureDirectory, removeFileDurably, syncDirectory, writeFileDurably } from './durable-file.js';
import { encodeName } from './file-name.js';
import type { JsonFileContext } from './json-file-store.js';
import type { DirectoryWatch } from './directory-watch.js';

const SUFFIX = '.log';
/** As for key-value files: room for the suffix and a temporary suffix within 255 bytes. */
const MAX_ENCODED_KEY = 200;
const HASHED_PREFIX = '~';
const NEWLINE = 0x0a;

/** One record as a line of the log. */
export function encodeLogRecord(record: unknown): string {
  const json = JSON.stringify([record]) as string | undefined;
  if (json === undefined) throw new TypeError('a log record must be JSON-serialisable');
  return `${json}\n`; // JSON.stringify escapes line breaks inside strings: one record, one line
}

/** The records of a log file's text, oldest first; torn or damaged lines are dropped. */
export function decodeLogText(text: string): unknown[] {
  const records: unknown[] = [];
  for (const line of text.split('\n')) {
    const record = decodeLine(line);
    if (record !== undefined) records.push(record.value);
  }
  return records;
}

function decodeLine(line: string): { value: unknown } | undefined {
  if (line === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined; // torn by a crash during its append: it was never acknowledged
  }
  return Array.isArray(parsed) && parsed.length === 1 ? { value: parsed[0] } : undefined;
}

/** Appends `line`, ending a torn last line first; fsyncs the data (and the directory for a new file). */
async function appendDurably(path: string, line: string): Promise<void> {
  const handle = await open(path, 'a+', 0o600);
  let created: boolean;
  try {
    const { size } = await handle.stat();
    created = size === 0;
    let data = line;
    if (!created) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== NEWLINE) data = `\n${line}`;
    }
    // Opened for appending: every write lands at the end; writeFile loops until all is written.
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (created) await syncDirectory(dirname(path));
}

export class JsonLineLog<T> implements AppendLog<T> {
  readonly #directory: string;
  readonly #context: JsonFileContext;
  readonly #watch: DirectoryWatch;
  #directoryReady: Promise<void> | undefined;

  constructor(directory: string, context: JsonFileContext) {
    this.#directory = directory;
    this.#context = context;
    this.#watch = context.watchFor(directory);
  }

  append(key: string, record: T): Promise<void> {
    const line = encodeLogRecord(record);
    return this.#write(key, true, (path) => appendDurably(path, line));
  }

  async read(key: string): Promise<T[]> {
    const path = this.#pathFor(key);
    const writing = this.#context.queue.settled(path);
    if (writing !== undefined) await writing; // read-your-writes
    const text = await this.#context.cache.read(path, this.#watch);
    // The records were written by `append` with the caller's T; their shape is the caller's to check.
    return text === undefined ? [] : (decodeLogText(text) as T[]);
  }

  replace(key: string, records: readonly T[]): Promise<void> {
    if (records.length === 0) return this.delete(key);
    const data = records.map(encodeLogRecord).join('');
    return this.#write(key, true, (path) => writeFileDurably(path, path + this.#context.temporarySuffix(), data));
  }

  delete(key: string): Promise<void> {
    return this.#write(key, false, (path) => removeFileDurably(path));
  }

  /** Runs a change of the key's file after the earlier ones, keeping the read cache honest. */
  #write(key: string, creates: boolean, change: (path: string) => Promise<void>): Promise<void> {
    this.#context.assertOpen();
    const path = this.#pathFor(key);
    const { cache } = this.#context;
    cache.forget(path);
    if (creates) this.#watch.willWrite(path);
    return this.#context.queue.run(path, async () => {
      try {
        if (creates) await this.#ensureDirectory();
        await change(path);
      } finally {
        // A read that started while the file was changing may have seen either content.
        cache.forget(path);
      }
    });
  }

  #pathFor(key: string): string {
    const encoded = encodeName(key);
    if (encoded.length <= MAX_ENCODED_KEY) return `${this.#directory}${sep}${encoded}${SUFFIX}`;
    const digest = createHash('sha256').update(key, 'utf8').digest('hex');
    return join(this.#directory, HASHED_PREFIX + digest + SUFFIX);
  }

  #ensureDirectory(): Promise<void> {
    this.#directoryReady ??= ensureDirectory(this.#directory).then(() => this.#watch.storeCreated(), (error: unknown) => {
      this.#directoryReady = undefined; // let the next write try again
      throw error;
    });
    return this.#directoryReady;
  }
}
