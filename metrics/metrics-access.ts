/**
 * Who may read `/metrics`: a client on an allowed address (`openmetrics_allow_ips`, or inside
 * `openmetrics_allow_cidr`), as in Prosody, or one presenting the bearer token whose digest is
 * `openmetrics_token` (RFC 6750), compared in constant time. Everyone else gets 403.
 */
import { AddressSet, type HttpRequestHead } from '../http/index.js';
import { constantTimeEqual, tokenDigest } from '../server/crypto/index.js';
import type { HttpOpenmetricsOptions } from './options.js';

/** RFC 6750 §2.1: `Bearer` (case-insensitive) then a token68. */
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export class MetricsAccess {
  readonly #addresses: AddressSet;
  readonly #tokenDigest: string | undefined;

  constructor(options: HttpOpenmetricsOptions) {
    const cidr = options.openmetrics_allow_cidr;
    this.#addresses = new AddressSet(cidr === undefined ? options.openmetrics_allow_ips : [...options.openmetrics_allow_ips, cidr]);
    this.#tokenDigest = options.openmetrics_token;
  }

  permits(head: HttpRequestHead): boolean {
    if (this.#addresses.has(head.clientAddress)) return true;
    return this.#tokenDigest !== undefined && this.#hasToken(head);
  }

  #hasToken(head: HttpRequestHead): boolean {
    // Two Authorization headers are no single credential (RFC 9110 §5.3); Node keeps the first only.
    if (head.repeatedHeaders.has('authorization')) return false;
    const token = BEARER.exec(head.headers.authorization ?? '')?.[1];
    return token !== undefined && constantTimeEqual(tokenDigest(token), this.#tokenDigest!);
  }
}
