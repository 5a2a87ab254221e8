/**
 * The web endpoints a host serves, as its transport modules publish them, so that discovery
 * (XEP-0156 host-meta) lists exactly what is loaded. Looked up per request: load order between
 * the modules does not matter, and an unloaded transport disappears from discovery.
 */
import { serviceKey, type ServiceKey } from '../../server/modules/index.js';

export interface WebEndpoint {
  /** The published path (`http_paths` applied), e.g. `/xmpp-websocket`. */
  readonly path: string;
}

/** Offered by the `websocket` module (RFC 7395). */
export const websocketEndpointKey: ServiceKey<WebEndpoint> = serviceKey<WebEndpoint>('websocket-endpoint');
/** Offered by the `bosh` module (XEP-0206). */
export const boshEndpointKey: ServiceKey<WebEndpoint> = serviceKey<WebEndpoint>('bosh-endpoint');
