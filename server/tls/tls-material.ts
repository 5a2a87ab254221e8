/**
 * TLS contexts per host for SNI (RFC 6066 §3): the listener asks for the context matching the
 * name a client sent, and gets the default (the first host's) when it sent none or an unknown one.
 */
import { createSecureContext, type SecureContext, type TlsOptions } from 'node:tls';
import { SERVER_TRUST } from './server-trust.js';

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
  readonly #default: SecureContext;
  readonly #defaultHost: string;

  /**
   * `pairs` maps each host name to its certificate; `defaultHost` (one of them) answers clients
   * without SNI. Hosts sharing a certificate share one context. Throws on unusable PEM (callers
   * check pairs first).
   */
  constructor(pairs: ReadonlyMap<string, PemPair>, defaultHost: string) {
    const byCert = new Map<string, SecureContext>();
    for (const [host, pair] of pairs) {
      let context = byCert.get(pair.cert);
      if (context === undefined) {
        context = createSecureContext({ cert: pair.cert, key: pair.key, minVersion: MIN_VERSION, ...SERVER_TRUST });
        byCert.set(pair.cert, context);
      }
      this.#contexts.set(host, context);
      this.#pairs.set(host, pair);
    }
    const fallback = this.#contexts.get(defaultHost);
    if (fallback === undefined) throw new RangeError(`default host ${defaultHost} has no certificate`);
    this.#default = fallback;
    this.#defaultHost = defaultHost;
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
      SNICallback: (servername, callback) => callback(null, this.secureContextFor(servername)),
    };
  }

  /** Host names with a certificate. */
  hosts(): string[] {
    return [...this.#contexts.keys()];
  }
}
