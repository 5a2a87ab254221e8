/**
 * Client State Indication's hook points (XEP-0352), declared by augmenting the core's
 * `HookEvents`. The `csi` module turns the client's nonzas into these; behaviour modules
 * (`csi_simple`) act on them, as Prosody splits mod_csi and mod_csi_simple.
 */
import type { Host } from '../../server/host/index.js';
import type { Session } from '../../server/session/index.js';

export interface CsiStateEvent {
  readonly session: Session;
  readonly host: Host;
}

declare module '../../server/hooks/events.js' {
  interface HookEvents {
    /** XEP-0352 §3: the client is in the foreground: deliver everything now. */
    'csi-client-active': CsiStateEvent;
    /** XEP-0352 §3: the client is in the background: the server may hold what is not urgent. */
    'csi-client-inactive': CsiStateEvent;
  }
}
