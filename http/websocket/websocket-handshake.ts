/**
 * The checks on a WebSocket upgrade request before `ws` answers it: the `xmpp` subprotocol
 * (RFC 7395 §3.1) and the page's origin (`cross_domain_websocket`). Pure: a refusal is a value.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { isCrossDomainAllowed, isSameOrigin, type CrossDomain } from '../web-clients/cross-domain.js';

export const XMPP_SUBPROTOCOL = 'xmpp';

export interface HandshakeRefusal {
  readonly status: number;
  readonly message: string;
}

/** The tokens of `Sec-WebSocket-Protocol` (RFC 6455 §4.1: a comma-separated list). */
export function offeredSubprotocols(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header.split(',').map((token) => token.trim()).filter((token) => token !== '');
}

/**
 * Why the handshake is refused, or undefined when it may proceed. A request without `Origin`
 * comes from a non-browser client, for which an origin check proves nothing: it is let in.
 */
export function checkHandshake(headers: IncomingHttpHeaders, secure: boolean, crossDomain: CrossDomain): HandshakeRefusal | undefined {
  const protocols = offeredSubprotocols(headers['sec-websocket-protocol']);
  if (!protocols.includes(XMPP_SUBPROTOCOL)) {
    return { status: 400, message: 'The "xmpp" WebSocket subprotocol is required (RFC 7395 §3.1)' };
  }
  const origin = headers.origin;
  if (origin === undefined || isSameOrigin(origin, headers.host, secure) || isCrossDomainAllowed(crossDomain, origin)) return undefined;
  return { status: 403, message: 'Origin not allowed (cross_domain_websocket)' };
}
