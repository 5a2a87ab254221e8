/**
 * Random text for nonces and generated resources, cut from a pooled block of CSPRNG output. A
 * `randomBytes` call per login costs more than the bytes (a native call and OpenSSL's fork check,
 * a `getpid` system call, each time); every pooled byte is still handed out once only.
 */
import { randomBytes } from 'node:crypto';

const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/** `bytes` fresh random bytes, encoded as `encoding`. */
export function randomText(bytes: number, encoding: 'base64' | 'hex'): string {
  if (bytes > POOL_BYTES) return randomBytes(bytes).toString(encoding);
  if (offset + bytes > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const text = pool.toString(encoding, offset, offset + bytes);
  offset += bytes;
  return text;
}
