/** What a client stream needs from the server around it; provided by the server core. */
import type { AccountStore } from '../accounts/index.js';
import type { Host } from '../host/index.js';
import type { Logger } from '../log/index.js';
import type { Router } from '../router/index.js';
import type { SessionRegistry } from '../session/index.js';
import type { DecoyProfile } from '../sasl/index.js';
import type { ServerStats } from '../stats/index.js';
import type { AuthLimiter } from './auth-limiter.js';
import type { RegistrationThrottle } from './registration-throttle.js';

/** Per-host negotiation policy, read from the config once at start-up. */
export interface C2sPolicy {
  requireEncryption: boolean;
  allowUnencryptedPlain: boolean;
  disabledMechanisms: readonly string[];
  allowRegistration: boolean;
}

export interface C2sLimits {
  unauthedStanzaBytes: number;
  stanzaBytes: number;
  maxDepth: number;
  maxAttributes: number;
  /**
   * Unauthenticated streams are closed after this long (`c2s_timeout`), and so are authenticated
   * streams that have not bound a resource this long after authenticating.
   */
  unauthedTimeoutMs: number;
  /** Outbound bytes queued for a slow reader before it is disconnected (`c2s_send_queue_limit`). */
  sendQueueBytes: number;
  /** Failed credential checks allowed on one stream before it is closed (RFC 6120 §6.4.5). */
  saslAttemptsPerStream: number;
  /** Stanzas waiting behind a slow one on the same stream before reading from it stops. */
  pendingStanzas: number;
  /** Bytes of input waiting on one stream before reading from it stops (`c2s_input_queue_limit`). */
  inputQueueBytes: number;
}

export interface C2sEnvironment {
  readonly logger: Logger;
  readonly limits: C2sLimits;
  readonly sessions: SessionRegistry;
  readonly router: Router;
  readonly authLimiter: AuthLimiter;
  /** In-band registrations per address (`registration_throttle_max`/`_period`). */
  readonly registrationThrottle: RegistrationThrottle;
  /** The core's counters (connections, stanzas, authentication), read by the metrics module. */
  readonly stats: ServerStats;
  /** PBKDF2 iterations of stored SCRAM keys (`sasl_iterations`), so unknown users look alike. */
  readonly saslIterations: number;
  /** A user host this server serves, or undefined (components are not login targets). */
  userHost(domain: string): Host | undefined;
  accounts(domain: string): AccountStore | undefined;
  /** How unknown users are answered in SASL on a user host (stable salts, stored accounts' iterations). */
  decoy(domain: string): DecoyProfile | undefined;
  policy(domain: string): C2sPolicy;
  /** A new unique id for a stream/session. */
  nextId(): string;
  /** Called once when a stream ends, bound or not (the core tracks open streams for shutdown). */
  streamClosed(stream: object): void;
}
