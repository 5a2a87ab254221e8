/**
 * XEP-0421 occupant identifiers: "the same for the same real bare JID in the same room" and
 * unlinkable across rooms, without revealing the JID. An HMAC-SHA-256 over room and user with a
 * per-service secret kept in storage, so identifiers survive restarts (§4: "SHOULD be stable").
 * The same secret signs the ids of iq requests routed between occupants.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Jid } from '../../server/jid/index.js';
import type { KeyValueStore } from '../../server/storage/index.js';

const SECRET_KEY = 'occupant-id-secret';

/** Occupant ids and keyed tags of one service, from its secret. */
export class OccupantIds {
  readonly #secret: Buffer;

  constructor(secret: Buffer) {
    this.#secret = secret;
  }

  /** The occupant id of a user in a room. */
  idFor(room: Jid, user: Jid): string {
    return this.#mac(`${room.bare().toString()}\0${user.bare().toString()}`).toString('base64');
  }

  /** A short keyed digest (base64url) of a string, e.g. a real JID that must not be disclosed. */
  tag(value: string): string {
    return this.#mac(`tag\0${value}`).subarray(0, 12).toString('base64url');
  }

  #mac(value: string): Buffer {
    return createHmac('sha256', this.#secret).update(value).digest();
  }
}

/** Reads the service's secret, creating and storing one on first start. */
export async function loadOccupantIdSecret(store: KeyValueStore<string>): Promise<Buffer> {
  const stored = await store.get(SECRET_KEY);
  if (stored !== undefined && /^[0-9a-f]{64}$/.test(stored)) return Buffer.from(stored, 'hex');
  const secret = randomBytes(32);
  await store.set(SECRET_KEY, secret.toString('hex'));
  return secret;
}
