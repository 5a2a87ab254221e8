/** Options of the `websocket` module (Prosody's mod_websocket names, plus the keepalive interval). */
import * as z from 'zod';
import { crossDomainOf, crossDomainOption, readCrossDomain, type CrossDomain } from '../web-clients/cross-domain.js';

export const websocketOptionShape = {
  consider_websocket_secure: z.boolean().default(false)
    .describe('Treat every plain ws:// connection as encrypted (TLS ends at a reverse proxy in front of Salon); ws:// on secure_interfaces (loopback) always is.'),
  // Any origin by default, as Prosody, ejabberd and Openfire: the stream authenticates with SASL,
  // never with the browser's cookies, so a foreign page gains nothing it could not do itself.
  cross_domain_websocket: crossDomainOption.default(true)
    .describe('Pages of other origins allowed to connect: true (any, the default), false (none), or a list of origins; the own origin and clients sending no Origin always may.'),
  websocket_ping_interval: z.number().min(0).max(3600).default(60)
    .describe('Seconds between WebSocket pings; a connection that has not answered the previous one is closed (0 disables).'),
};

export interface WebsocketSettings {
  readonly considerSecure: boolean;
  readonly crossDomain: CrossDomain;
  /** 0 when keepalive pings are off. */
  readonly pingIntervalMs: number;
}

type ParsedOptions = z.output<z.ZodObject<typeof websocketOptionShape>>;

/** A config error for a bad origin list, else undefined. */
export function validateWebsocketOptions(options: ParsedOptions): string | undefined {
  const read = readCrossDomain(options.cross_domain_websocket);
  return 'error' in read ? `option "cross_domain_websocket": ${read.error}` : undefined;
}

export function websocketSettings(options: ParsedOptions): WebsocketSettings {
  return {
    considerSecure: options.consider_websocket_secure,
    crossDomain: crossDomainOf(options.cross_domain_websocket),
    pingIntervalMs: Math.round(options.websocket_ping_interval * 1000),
  };
}
