/**
 * Puts a `TicketKeyRing` in charge of a TLS context's session tickets. Node's public API holds one
 * ticket key per context (`ticketKeys`, `setTicketKeys`): replacing it makes every ticket already
 * given out useless at once, so clients that got one just before a rotation do a full handshake.
 * Node's native context also takes a per-handshake callback (`enableTicketKeyCallback`, the hook
 * its own resumption tests use) that answers with the key for a ticket's key name; with it the
 * previous key stays valid for one period. It is not a documented API: where it is missing the
 * context keeps Node's default (one random key per context, in memory, for the process lifetime).
 */
import { randomBytes } from 'node:crypto';
import type { SecureContext } from 'node:tls';
import type { TicketKeyRing } from './ticket-keys.js';

/** The members of Node's native context used here (see the file comment). */
interface NativeTicketHooks {
  enableTicketKeyCallback?: () => void;
  onticketkeycallback?: (name: Buffer, iv: Buffer, encrypt: boolean) => unknown[];
}

/** Node reads both key slots whatever the verdict: an unknown ticket gets keys that open nothing. */
const NO_KEY = Buffer.alloc(16);

/** Lets `ring` make and open the context's tickets; false when this Node offers no way to. */
export function useTicketKeyRing(context: SecureContext, ring: TicketKeyRing): boolean {
  const native = (context as unknown as { context?: NativeTicketHooks }).context;
  if (native === undefined || typeof native.enableTicketKeyCallback !== 'function') return false;
  native.onticketkeycallback = (name, _iv, encrypt) => {
    if (encrypt) {
      const key = ring.current();
      return [1, key.hmac, key.aes, key.name, randomBytes(16)];
    }
    const verdict = ring.find(name);
    return verdict.result === 0 ? [0, NO_KEY, NO_KEY] : [verdict.result, verdict.key.hmac, verdict.key.aes];
  };
  native.enableTicketKeyCallback();
  return true;
}
