/**
 * TLS contexts per host for SNI (RFC 6066 §3): the listener asks for the context matching the
 * name a client sent, and gets the default (the first host's) when it sent none or an unknown one.
 */
import { constants } from 'node:crypto';
import { createSecureContext, type SecureContext, type TlsOptions } from 'node:tls';
import { SERVER_TRUST } from './server-trust.js';
import { useTicketKeyRing } from './ticket-callback.js';
import { DEFAULT_TICKET_KEY_ROTATION_SECONDS, TicketKeyRing } from './ticket-keys.js';

/** A PEM certificate (chain) and its private key. */
export interface PemPair {
  cert: string;
  key: string;
}

/** RFC 7590 §3.1: TLS 1.2 or later for XMPP. */
const MIN_VERSION = 'TLSv1.2';

export class TlsMaterial {
  readonly #contexts = new Map<string, SecureContext>();
  readonly #pairs = new Map<string, PemPair>();
  #default!: SecureContext;
  readonly #defaultHost: string;
  /** Session tickets (TLS 1.3 resumption); undefined when they are off. */
  #tickets: TicketKeyRing | undefined;
  /** Called after certificates are replaced (listeners update their own default context). */
  readonly #replacedListeners = new Set<() => void>();

  /**
   * `pairs` maps each host name to its certificate; `defaultHost` (one of them) answers clients
   * without SNI. Hosts sharing a certificate share one context. Throws on unusable PEM (callers
   * check pairs first).
   */
  constructor(pairs: ReadonlyMap<string, PemPair>, defaultHost: string) {
    for (const [host, pair] of pairs) this.#pairs.set(host, pair);
    if (!this.#pairs.has(defaultHost)) throw new RangeError(`default host ${defaultHost} has no certificate`);
    this.#defaultHost = defaultHost;
    this.#tickets = new TicketKeyRing(DEFAULT_TICKET_KEY_ROTATION_SECONDS);
    this.#buildContexts();
  }

  /**
   * Session tickets with a fresh key every `rotationSeconds` (`tls_ticket_key_rotation`; see
   * `ticket-keys.ts`), 0 for none. Call before listening: contexts are made again.
   */
  configureTickets(rotationSeconds: number): void {
    this.#tickets = rotationSeconds > 0 ? new TicketKeyRing(rotationSeconds) : undefined;
    this.#buildContexts();
  }

  #buildContexts(): void {
    const byCert = new Map<string, SecureContext>();
    this.#contexts.clear();
    for (const [host, pair] of this.#pairs) {
      let context = byCert.get(pair.cert);
      if (context === undefined) {
        context = createSecureContext({ cert: pair.cert, key: pair.key, minVersion: MIN_VERSION, ...SERVER_TRUST, ...this.#ticketOptions() });
        if (this.#tickets !== undefined) useTicketKeyRing(context, this.#tickets);
        byCert.set(pair.cert, context);
      }
      this.#contexts.set(host, context);
    }
    this.#default = this.#contexts.get(this.#defaultHost)!;
  }

  /** A ticket's lifetime is one rotation period: its key is accepted for one to two. */
  #ticketOptions(): { sessionTimeout: number } | { secureOptions: number } {
    return this.#tickets === undefined ? { secureOptions: constants.SSL_OP_NO_TICKET } : { sessionTimeout: this.#tickets.periodMs / 1000 };
  }

  /**
   * Swaps in new certificates (a config reload) for the hosts this material serves: connections
   * made from now on get them, established ones keep the session they negotiated. Hosts missing
   * from `pairs` keep theirs. The ticket keys stay, so clients still resume. Returns the hosts
   * whose certificate changed. Throws on unusable PEM (callers check pairs first).
   */
  replaceCertificates(pairs: ReadonlyMap<string, PemPair>): string[] {
    const changed = [...this.#pairs].filter(([host, old]) => {
      const pair = pairs.get(host);
      return pair !== undefined && (pair.cert !== old.cert || pair.key !== old.key);
    }).map(([host]) => host);
    if (changed.length === 0) return [];
    const previous = new Map(this.#pairs);
    for (const host of changed) this.#pairs.set(host, pairs.get(host)!);
    try {
      this.#buildContexts();
    } catch (error) {
      for (const [host, pair] of previous) this.#pairs.set(host, pair);
      this.#buildContexts();
      throw error;
    }
    for (const listener of this.#replacedListeners) listener();
    return changed;
  }

  /** Calls `listener` whenever certificates are replaced; returns the function that stops it. */
  onReplaced(listener: () => void): () => void {
    this.#replacedListeners.add(listener);
    return () => this.#replacedListeners.delete(listener);
  }

  /** The context for an SNI server name; the default one when absent or unknown. */
  secureContextFor(servername: string | undefined): SecureContext {
    if (servername === undefined || servername === '') return this.#default;
    const name = (servername.endsWith('.') ? servername.slice(0, -1) : servername).toLowerCase();
    return this.#contexts.get(name) ?? this.#default;
  }

  /** The PEM pair a host uses (the default host's when unknown). */
  pemFor(host: string | undefined): PemPair {
    const pair = (host === undefined ? undefined : this.#pairs.get(host)) ?? this.#pairs.get(this.#defaultHost);
    if (pair === undefined) throw new RangeError('no certificate at all'); // the constructor guarantees one
    return pair;
  }

  /**
   * Options for `tls.createServer` or `new TLSSocket(…, { isServer: true })` with SNI.
   * `tls.createServer` ignores `secureContext` (clients without SNI would fail the handshake),
   * so the default host's PEM pair is given as well.
   */
  serverOptions(): TlsOptions {
    const fallback = this.pemFor(undefined);
    return {
      cert: fallback.cert,
      key: fallback.key,
      ...SERVER_TRUST,
      secureContext: this.#default,
      minVersion: MIN_VERSION,
      ...this.#ticketOptions(),
      SNICallback: (servername, callback) => callback(null, this.secureContextFor(servername)),
    };
  }

  /** Host names with a certificate. */
  hosts(): string[] {
    return [...this.#contexts.keys()];
  }
}
