/**
 * Bearer tokens (RFC 6750) of the admin API. The config holds each token's SHA-256 digest (see
 * `server/crypto/token-digest.ts` for why a fast hash suits random tokens); a presented token is
 * digested and compared with every configured digest in constant time, all of them, so neither
 * which entry matched nor how much of it did shows in the time taken.
 */
import { constantTimeEqual, tokenDigest } from '../server/crypto/index.js';
import type { AdminCaller, AdminScope } from './admin-operation.js';
import type { AdminTokenEntry } from './options.js';

/** RFC 6750 §2.1: `Bearer` (case-insensitive, RFC 9110 §11.1) then a token68. */
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export type TokenCheck =
  | { readonly kind: 'missing' }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'valid'; readonly caller: AdminCaller };

export class BearerTokens {
  readonly #entries: readonly { readonly name: string; readonly hash: string; readonly scopes: ReadonlySet<AdminScope> }[];

  constructor(entries: readonly AdminTokenEntry[]) {
    this.#entries = entries.map((entry) => ({ name: entry.name, hash: entry.hash, scopes: new Set(entry.scopes) }));
  }

  get size(): number {
    return this.#entries.length;
  }

  /** Who the `Authorization` header value names, if anyone. */
  check(authorization: string | undefined): TokenCheck {
    if (authorization === undefined || authorization === '') return { kind: 'missing' };
    const token = BEARER.exec(authorization)?.[1];
    if (token === undefined) return { kind: 'invalid' };
    const digest = tokenDigest(token);
    let found: AdminCaller | undefined;
    for (const entry of this.#entries) {
      // No early exit: every entry costs the same whether or not an earlier one matched.
      if (constantTimeEqual(digest, entry.hash) && found === undefined) found = { token: entry.name, scopes: entry.scopes };
    }
    return found === undefined ? { kind: 'invalid' } : { kind: 'valid', caller: found };
  }
}
