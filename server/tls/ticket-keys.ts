/**
 * TLS session tickets (RFC 8446 §4.6.1, RFC 5077) with keys rotated on a schedule, so a client
 * that reconnects (a phone changing networks, a STARTTLS login after a dropped stream) resumes
 * its TLS session: no certificate signature and no certificate chain on the wire.
 *
 * The keys exist in memory only: a fresh random key per period (`tls_ticket_key_rotation`), never
 * written anywhere, so reading the disk or a backup never decrypts a recorded ticket and a restart
 * simply means full handshakes once. A ticket stays usable until its key has been retired for one
 * period: it was made with the current key and is accepted while that key is current or previous
 * (one to two periods). A ticket made with the previous key is renewed (a new ticket with the
 * current key). One process, one ring: several Salon processes behind one name do full handshakes
 * when a client moves between them.
 *
 * Rotation happens when a key is asked for: an idle server keeps no timer, and a key older than
 * two periods is never used again, however long the server slept.
 */
import { randomBytes } from 'node:crypto';

/** A ticket key: name (16 bytes, sent in clear inside the ticket), HMAC key, AES key (16 each). */
export interface TicketKey {
  readonly name: Buffer;
  readonly hmac: Buffer;
  readonly aes: Buffer;
  /** When it became the current key (ms, `now`'s clock). */
  readonly since: number;
}

/** What decrypting a ticket found: OpenSSL's 1 (current key), 2 (older key: renew), 0 (unknown). */
export type TicketVerdict = { result: 0 } | { result: 1 | 2; key: TicketKey };

/** Prosody has no such option; twelve hours bound how long one key protects tickets. */
export const DEFAULT_TICKET_KEY_ROTATION_SECONDS = 12 * 60 * 60;

function newKey(since: number): TicketKey {
  const bytes = randomBytes(48);
  return { name: bytes.subarray(0, 16), hmac: bytes.subarray(16, 32), aes: bytes.subarray(32, 48), since };
}

export class TicketKeyRing {
  readonly periodMs: number;
  readonly #now: () => number;
  #current: TicketKey;
  #previous: TicketKey | undefined;

  /** `now` is a monotonic clock in ms (tests pass their own). */
  constructor(periodSeconds: number, now: () => number = () => performance.now()) {
    if (!(periodSeconds > 0)) throw new RangeError(`ticket key rotation must be positive, got ${periodSeconds}`);
    this.periodMs = periodSeconds * 1000;
    this.#now = now;
    this.#current = newKey(now());
  }

  /** The key new tickets are made with. */
  current(): TicketKey {
    this.#advance();
    return this.#current;
  }

  /** Which key a ticket named `name` was made with, if it is still accepted. */
  find(name: Buffer): TicketVerdict {
    this.#advance();
    if (name.equals(this.#current.name)) return { result: 1, key: this.#current };
    if (this.#previous !== undefined && name.equals(this.#previous.name)) return { result: 2, key: this.#previous };
    return { result: 0 };
  }

  /** Retires the current key now (a suspected leak; tests). */
  rotate(): void {
    this.#previous = this.#current;
    this.#current = newKey(this.#now());
  }

  #advance(): void {
    const now = this.#now();
    const age = now - this.#current.since;
    if (age < this.periodMs) return;
    // After two periods or more of silence the current key is too old to be anyone's previous.
    this.#previous = age < 2 * this.periodMs ? this.#current : undefined;
    this.#current = newKey(this.#current.since + Math.floor(age / this.periodMs) * this.periodMs);
  }
}
