/**
 * The `websocket` module (Prosody's mod_websocket): XMPP over WebSocket (RFC 7395) at
 * `/xmpp-websocket` (`http_paths` name `websocket`) on the host's HTTP listeners. Loaded on
 * every VirtualHost unless listed in `modules_disabled`, so browser clients work out of the box.
 */
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { defineModule, type ModuleContext } from '../../server/modules/index.js';
import { clientStreamsKey, FRAMED_HEADER_RULES, XmppStream, type ClientStreams } from '../../server/stream/index.js';
import { refuseUpgrade } from '../dispatch-upgrade.js';
import { httpServiceKey, type HttpUpgrade } from '../http-types.js';
import { websocketEndpointKey } from '../web-clients/endpoints.js';
import { checkHandshake, XMPP_SUBPROTOCOL } from './websocket-handshake.js';
import { WebSocketConnection } from './websocket-connection.js';
import { validateWebsocketOptions, websocketOptionShape, websocketSettings, type WebsocketSettings } from './websocket-options.js';

const DEFAULT_PATH = '/xmpp-websocket';

const INFO_PAGE = '<!DOCTYPE html><html><head><title>XMPP over WebSocket</title></head><body>' +
  '<p>This is an XMPP WebSocket endpoint (RFC 7395): point a WebSocket XMPP client here.</p></body></html>';

type Options = Parameters<typeof websocketSettings>[0];

function startStream(streams: ClientStreams, socket: WebSocket, upgrade: HttpUpgrade, settings: WebsocketSettings): void {
  const { env } = streams;
  const connection = new WebSocketConnection(socket, {
    remoteAddress: upgrade.clientAddress,
    // wss://, or ws:// on a `secure_interfaces` address (loopback), is confidential; other ws://
    // counts as such only when declared so (TLS ended by a proxy).
    secure: upgrade.secureChannel || settings.considerSecure,
    limits: { maxStanzaBytes: env.limits.unauthedStanzaBytes, maxDepth: env.limits.maxDepth, maxAttributes: env.limits.maxAttributes },
    pingIntervalMs: settings.pingIntervalMs,
  });
  const stream = new XmppStream(env, connection, FRAMED_HEADER_RULES, true, 'websocket');
  connection.attach(stream);
  streams.adopt(stream, 'websocket');
}

const requireFromHere = createRequire(import.meta.url);

/**
 * The `ws` server, made with the first upgrade: loading `ws` pulls in Node's HTTP, TLS and zlib
 * modules (≈ 3–4 ms), which a server nobody connects to over WebSocket never needs.
 */
function lazyServer(streams: ClientStreams): { get(): WebSocketServer; close(): void } {
  let server: WebSocketServer | undefined;
  return {
    get: () => (server ??= new (requireFromHere('ws') as typeof import('ws')).WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      // Room for an element somewhat over the stanza limit, so that it gets a policy-violation
      // stream error from the parser; far larger messages are refused by `ws` itself (1009).
      maxPayload: streams.env.limits.stanzaBytes * 2,
      handleProtocols: (protocols) => (protocols.has(XMPP_SUBPROTOCOL) ? XMPP_SUBPROTOCOL : false),
    })),
    close: () => server?.close(),
  };
}

function upgradeHandler(ctx: ModuleContext<Options>, streams: ClientStreams, server: () => WebSocketServer, settings: WebsocketSettings) {
  return (upgrade: HttpUpgrade): void => {
    const { request, socket, head } = upgrade;
    const refusal = checkHandshake(request.headers, upgrade.secure, settings.crossDomain);
    if (refusal !== undefined) {
      ctx.logger.debug({ origin: request.headers.origin, status: refusal.status }, refusal.message);
      return refuseUpgrade(socket, refusal.status, refusal.message);
    }
    // Behind a trusted proxy every peer is the proxy: per-address limits count the forwarded client.
    const address = upgrade.clientAddress;
    const release = streams.acquireSlot(address);
    if (release === undefined) {
      ctx.logger.warn({ remote: address }, 'too many connections from one address');
      return refuseUpgrade(socket, 503, 'Too many connections from this address');
    }
    // The slot goes back with the socket, whether or not `ws` accepts the handshake.
    (socket as Duplex).once('close', release);
    server().handleUpgrade(request, socket, head, (ws) => startStream(streams, ws, upgrade, settings));
  };
}

export const websocketModule = defineModule({
  name: 'websocket',
  description: 'XMPP over WebSocket (RFC 7395) at /xmpp-websocket.',
  hostKinds: ['user'],
  autoload: true,
  options: websocketOptionShape,
  validate: validateWebsocketOptions,
  load(ctx) {
    const routes = ctx.service(httpServiceKey);
    const streams = ctx.service(clientStreamsKey);
    if (routes === undefined || streams === undefined) throw new Error('websocket needs the HTTP listener and client streams');
    const settings = websocketSettings(ctx.options);
    const server = lazyServer(streams);
    const disposers = [
      routes.upgrade({ path: DEFAULT_PATH, name: 'websocket', basePath: DEFAULT_PATH, anyHost: true, handler: upgradeHandler(ctx, streams, server.get, settings) }),
      routes.addRoute({
        method: 'GET', path: DEFAULT_PATH, name: 'websocket', basePath: DEFAULT_PATH, anyHost: true,
        handler: () => Promise.resolve({ status: 200, text: INFO_PAGE, headers: { 'Content-Type': 'text/html; charset=utf-8' } }),
      }),
    ];
    ctx.provide(websocketEndpointKey, { path: routes.pathFor('websocket', DEFAULT_PATH) });
    ctx.onUnload(() => {
      for (const dispose of disposers) dispose();
      server.close();
    });
  },
});
