/**
 * Where uploaded files live: `<directory>/<slot>`, one file per slot, its name the slot id
 * (base64url, so never a path). An upload is written to `<slot>.part-<random>` and renamed into
 * place only once complete and flushed, so a reader never sees half a file and a crash leaves
 * only `.part` files, which the next start removes.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const PART = '.part-';

export type ReceiveResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'too-large' | 'too-short' | 'aborted' | 'write-failed' };

class TooLarge extends Error {}
class Aborted extends Error {}

/** Counts bytes as they pass and fails the pipeline as soon as they exceed `limit`. */
function byteLimit(limit: number, counted: { bytes: number }): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      counted.bytes += chunk.length;
      if (counted.bytes > limit) callback(new TooLarge('body larger than the slot'));
      else callback(null, chunk);
    },
  });
}

export class FileDirectory {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  /** Creates the directory and removes parts of uploads a previous run left unfinished. */
  async prepare(): Promise<void> {
    await mkdir(this.path, { recursive: true, mode: 0o700 });
    for (const name of await readdir(this.path)) {
      if (name.includes(PART)) await rm(join(this.path, name), { force: true });
    }
  }

  #final(slot: string): string {
    return join(this.path, slot);
  }

  async exists(slot: string): Promise<boolean> {
    return stat(this.#final(slot)).then(() => true, () => false);
  }

  /**
   * Streams `body` to disk with bounded memory (the pipeline waits for the disk: back-pressure
   * pauses the socket), expecting exactly `size` bytes, then makes the file durable and visible.
   */
  async receive(slot: string, body: Readable, size: number): Promise<ReceiveResult> {
    const part = join(this.path, `${slot}${PART}${randomBytes(6).toString('hex')}`);
    const counted = { bytes: 0 };
    // The request is piped in, not made part of the pipeline: a failed pipeline destroys its
    // streams, and the request must survive a refusal so that the 413 can still be answered.
    const limit = byteLimit(size, counted);
    const abort = (): void => void limit.destroy(new Aborted('request body incomplete'));
    body.once('aborted', abort);
    body.once('error', abort);
    body.pipe(limit);
    try {
      await pipeline(limit, createWriteStream(part, { flags: 'wx', mode: 0o600 }));
    } catch (error) {
      body.unpipe(limit);
      await rm(part, { force: true });
      if (error instanceof TooLarge) return { ok: false, reason: 'too-large' };
      return { ok: false, reason: error instanceof Aborted ? 'aborted' : 'write-failed' };
    } finally {
      body.off('aborted', abort);
      body.off('error', abort);
    }
    if (counted.bytes !== size) {
      await rm(part, { force: true });
      return { ok: false, reason: 'too-short' };
    }
    try {
      const handle = await open(part, 'r');
      await handle.sync().finally(() => handle.close());
      await rename(part, this.#final(slot));
    } catch {
      await rm(part, { force: true });
      return { ok: false, reason: 'write-failed' };
    }
    return { ok: true };
  }

  /** A stream of the file from byte `start`, or undefined when it is not there. */
  async read(slot: string, start = 0): Promise<ReadStream | undefined> {
    const handle = await open(this.#final(slot), 'r').catch(() => undefined);
    return handle?.createReadStream({ autoClose: true, start });
  }

  async remove(slot: string): Promise<void> {
    await rm(this.#final(slot), { force: true });
  }
}
