/**
 * What a transport outside `server/` (WebSocket, BOSH) needs to run client streams: the same
 * environment the TCP listener gives its streams, the per-address connection slots it counts
 * against (`c2s_max_connections_per_ip`), and registration for shutdown. Offered on every user
 * host under `clientStreamsKey` by the server core.
 */
import { serviceKey, type ServiceKey } from '../modules/index.js';
import type { Transport } from '../stats/index.js';
import type { C2sEnvironment } from './c2s-environment.js';
import type { XmppStream } from './xmpp-stream.js';

export interface ClientStreams {
  readonly env: C2sEnvironment;
  /**
   * Takes one of the address's connection slots, shared with the TCP listeners; returns the
   * function that gives it back (call it once, when the connection ends), or undefined when the
   * address has no slot left.
   */
  acquireSlot(address: string): (() => void) | undefined;
  /**
   * Registers a stream so that server shutdown ends it with `system-shutdown`; it counts as an
   * open connection of `transport` until it closes.
   */
  adopt(stream: XmppStream, transport: Transport): void;
}

export const clientStreamsKey: ServiceKey<ClientStreams> = serviceKey<ClientStreams>('client-streams');
