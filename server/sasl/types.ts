/** Server-side SASL (RFC 4422, RFC 6120 §6): sessions that turn client responses into steps. */
import type { AccountStore } from '../accounts/index.js';
import type { SaslFailure } from '../errors/index.js';
import type { DecoyProfile } from './decoy-profile.js';

/**
 * Why an exchange failed, which decides what the stream does about it:
 * - `credentials`: a password or SCRAM proof was checked and was wrong, or the user does not
 *   exist. The only evidence of password guessing, and the only cause that counts toward
 *   per-address throttling (`limit_auth_max`).
 * - `channel-binding`: the binding data differs from this connection's, or the client says `y`
 *   while -PLUS was offered (RFC 5802 §6): what a man in the middle looks like. No credential
 *   was checked.
 * - `negotiation`: the exchange never reached a credential check (malformed or out-of-order
 *   messages, an unsupported channel-binding type, a refused authzid).
 */
export type SaslFailureCause = 'credentials' | 'channel-binding' | 'negotiation';

/** What the stream sends next: `<challenge/>`, `<success/>` or `<failure/>`. */
export type SaslStep =
  | { kind: 'challenge'; data: Buffer }
  | { kind: 'success'; data?: Buffer; username: string }
  | {
    kind: 'failure';
    failure: SaslFailure;
    cause: SaslFailureCause;
    /** The user name the client gave, as sent (for logs), once the exchange got that far. */
    username?: string;
  };

/**
 * One authentication exchange. `step` gets the decoded client data (an empty Buffer for "no data",
 * e.g. `<auth/>` without an initial response). Calls must not overlap; after a success or a
 * failure the exchange is over. It rejects only on internal errors (e.g. storage failures).
 */
export interface SaslServerSession {
  readonly mechanism: string;
  step(response: Buffer): Promise<SaslStep>;
}

/** Channel-binding types this server can check (RFC 9266, RFC 5929 §4). */
export type ChannelBindingType = 'tls-exporter' | 'tls-server-end-point';

export interface SaslContext {
  /** The host's accounts. */
  accounts: AccountStore;
  /** Channel-binding data of this stream's TLS connection, or undefined when the type is unavailable. */
  channelBinding: (type: ChannelBindingType) => Buffer | undefined;
  secure: boolean;
  /**
   * Whether -PLUS mechanisms were offered on this stream (RFC 5802 §6 downgrade detection): a
   * `y` flag is then refused. Defaults to whether `tls-exporter` data is available.
   */
  plusOffered?: boolean;
  /**
   * How unknown users are answered on this host (a stored secret for their salts, the iteration
   * count stored accounts carry). Without one, a per-process secret and `iterations` serve.
   */
  decoy?: DecoyProfile;
  /**
   * The host's PBKDF2 iteration count (`sasl_iterations`), for unknown users when there is no
   * `decoy`. Defaults to 10000.
   */
  iterations?: number;
}

/** Knobs for tests and special deployments. */
export interface SaslOptions {
  /** The server part of a SCRAM nonce (printable ASCII without `,`); random by default. */
  serverNonce?: () => string;
}
