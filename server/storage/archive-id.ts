/**
 * Archive ids (XEP-0359 stanza-id values, RSM positions): unique, unguessable, and sorting as
 * strings in the order they were made, so a driver's id index is also its time index. Ten
 * base32 characters of milliseconds (sortable past the year 10000), then a per-millisecond
 * sequence and random bits, both base32; the clock never runs backwards within one process.
 */
import { randomBytes } from 'node:crypto';

/** Random bits are cut from a pooled block (a `randomBytes` call per id costs more than its bytes). */
const POOL_BYTES = 4096;
const RANDOM_BYTES = 5; // 40 bits: 8 base32 digits
let pool = Buffer.alloc(0);
let poolOffset = 0;

function randomBits(): number {
  if (poolOffset + RANDOM_BYTES > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const value = pool.readUIntBE(poolOffset, RANDOM_BYTES);
  poolOffset += RANDOM_BYTES; // each pooled byte is used once
  return value;
}

const ALPHABET = '0123456789abcdefghijklmnopqrstuv'; // base32hex: ASCII order is numeric order
/** Every two-digit base32 string, so that an id is built from a few pieces rather than 22 characters. */
const PAIRS = Array.from({ length: 1024 }, (_, value) => ALPHABET[value >> 5]! + ALPHABET[value & 31]!);
let lastMs = 0;
/** `lastMs` in base32, made once per millisecond rather than once per id. */
let lastMsDigits = base32(0, 10);
let sequence = 0;

function base32(value: number, digits: number): string {
  let out = '';
  for (let i = 0; i < digits; i++) {
    out = ALPHABET[value % 32]! + out;
    value = Math.floor(value / 32);
  }
  return out;
}

/** A new archive id for an item archived at `nowMs` (ids made later in the process sort later). */
export function newArchiveId(nowMs: number = Date.now()): string {
  if (nowMs > lastMs) {
    lastMs = nowMs;
    lastMsDigits = base32(lastMs, 10);
    sequence = 0;
  } else {
    sequence++;
    if (sequence >= 32 ** 4) {
      lastMs++; // more than a million ids in one millisecond: borrow the next one
      lastMsDigits = base32(lastMs, 10);
      sequence = 0;
    }
  }
  // 20 bits of sequence, then 40 random bits (two 20-bit halves): four digits, then eight.
  const random = randomBits();
  const high = Math.floor(random / 0x100000);
  const low = random % 0x100000;
  return lastMsDigits + PAIRS[sequence >> 10]! + PAIRS[sequence & 1023]!
    + PAIRS[high >> 10]! + PAIRS[high & 1023]! + PAIRS[low >> 10]! + PAIRS[low & 1023]!;
}

/**
 * The smallest string that sorts at or after every id made at `ms` and after every id made
 * earlier: the id's time digits alone. Drivers turn time bounds into id bounds with it.
 */
export function archiveIdFloor(ms: number): string {
  // Past the last time an id can hold: 'w' sorts after every id (their digits end at 'v').
  if (ms >= 32 ** 10) return 'w';
  return base32(Math.max(0, Math.floor(ms)), 10);
}

/** The time (ms) an archive id was made at, or undefined for a string that is not one. */
export function archiveIdTime(id: string): number | undefined {
  if (!/^[0-9a-v]{22}$/.test(id)) return undefined;
  let value = 0;
  for (let i = 0; i < 10; i++) value = value * 32 + ALPHABET.indexOf(id[i]!);
  return value;
}
