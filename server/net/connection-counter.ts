/**
 * Counts open client connections, per address and in total, so that neither one address nor
 * everyone together can hold more than their share of sockets, memory and file descriptors.
 * Addresses are counted under their limit key (`address-key.ts`): an IPv4 client reaching a
 * dual-stack listener as `::ffff:a.b.c.d` and another listener as `a.b.c.d` has one budget, and a
 * whole IPv6 /64 shares one.
 */
import { addressKey } from './address-key.js';

/** Why a connection got no slot. */
export type SlotRefusal = 'address-full' | 'server-full';

export class ConnectionCounter {
  readonly #counts = new Map<string, number>();
  #total = 0;

  /** `maxTotal` defaults to no cap beyond the per-address one. */
  constructor(readonly maxPerAddress: number, readonly maxTotal: number = Number.POSITIVE_INFINITY) {}

  /** Connections counted now. */
  get total(): number {
    return this.#total;
  }

  /** Takes a slot for the address; undefined when taken, else why there is none. */
  acquire(address: string): SlotRefusal | undefined {
    if (this.#total >= this.maxTotal) return 'server-full';
    const key = addressKey(address);
    const count = this.#counts.get(key) ?? 0;
    if (count >= this.maxPerAddress) return 'address-full';
    this.#counts.set(key, count + 1);
    this.#total += 1;
    return undefined;
  }

  /** Gives back a slot `acquire` gave for the same address. */
  release(address: string): void {
    const key = addressKey(address);
    const count = this.#counts.get(key);
    if (count === undefined) return;
    this.#total -= 1;
    if (count <= 1) this.#counts.delete(key);
    else this.#counts.set(key, count - 1);
  }
}
