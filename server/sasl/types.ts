/** Server-side SASL (RFC 4422, RFC 6120 §6): sessions that turn client responses into steps. */
import type { AccountStore } from '../accounts/index.js';
import type { SaslFailure } from '../errors/index.js';

/** What the stream sends next: `<challenge/>`, `<success/>` or `<failure/>`. */
export type SaslStep =
  | { kind: 'challenge'; data: Buffer }
  | { kind: 'success'; data?: Buffer; username: string }
  | { kind: 'failure'; failure: SaslFailure };

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
   * Whether -PLUS mechanisms were offered on this stream (RFC 5802 §6 downgrade detection).
   * Defaults to whether `tls-exporter` data is available.
   */
  plusOffered?: boolean;
  /**
   * The host's PBKDF2 iteration count (`sasl_iterations`): an unknown user is answered with it so
   * that it looks like a real one. Defaults to 10000.
   */
  iterations?: number;
}

/** Knobs for tests and special deployments. */
export interface SaslOptions {
  /** The server part of a SCRAM nonce (printable ASCII without `,`); random by default. */
  serverNonce?: () => string;
}
