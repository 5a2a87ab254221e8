/**
 * The `bosh` module (Prosody's mod_bosh): XMPP over BOSH (XEP-0124, XEP-0206) at `/http-bind`
 * (`http_paths` name `bosh`). Loaded on every VirtualHost unless listed in `modules_disabled`.
 */
import { defineModule } from '../../server/modules/index.js';
import { clientStreamsKey } from '../../server/stream/index.js';
import { httpServiceKey, type HttpRequest, type HttpResponse } from '../http-types.js';
import { boshEndpointKey } from '../web-clients/endpoints.js';
import { boshCorsHeaders } from './bosh-cors.js';
import { boshOptionShape, boshSettings, validateBoshOptions } from './bosh-options.js';
import { BoshSessions } from './bosh-sessions.js';

const DEFAULT_PATH = '/http-bind';
const XML_TYPE = 'text/xml; charset=utf-8';
const INFO_PAGE = '<!DOCTYPE html><html><head><title>XMPP over BOSH</title></head><body>' +
  '<p>This is an XMPP BOSH endpoint (XEP-0206): point a BOSH client here.</p></body></html>';

export const boshModule = defineModule({
  name: 'bosh',
  description: 'XMPP over BOSH (XEP-0124, XEP-0206) at /http-bind.',
  hostKinds: ['user'],
  autoload: true,
  options: boshOptionShape,
  validate: validateBoshOptions,
  load(ctx) {
    const routes = ctx.service(httpServiceKey);
    const streams = ctx.service(clientStreamsKey);
    if (routes === undefined || streams === undefined) throw new Error('bosh needs the HTTP listener and client streams');
    const settings = boshSettings(ctx.options);
    const sessions = new BoshSessions(streams, settings, ctx.logger);
    const cors = (request: HttpRequest): Record<string, string> => boshCorsHeaders(settings.crossDomain, request.headers.origin);
    const post = async (request: HttpRequest): Promise<HttpResponse> => {
      const reply = await sessions.handle({
        body: request.body,
        // Behind a trusted proxy every peer is the proxy: per-address limits count the forwarded client.
        remoteAddress: request.clientAddress,
        // HTTPS, or plain HTTP on a `secure_interfaces` address (loopback), or declared so.
        secure: request.secureChannel || settings.considerSecure,
      });
      return { status: reply.status, text: reply.body, headers: { 'Content-Type': XML_TYPE, 'Cache-Control': 'no-store', ...cors(request) } };
    };
    const route = { path: DEFAULT_PATH, name: 'bosh', basePath: DEFAULT_PATH, anyHost: true } as const;
    const disposers = [
      routes.addRoute({ ...route, method: 'POST', bodyLimit: sessions.bodyLimit, bodyGate: sessions.bodyGate, handler: post }),
      // CORS pre-flight (XEP-0124 §3 clients send `Content-Type: text/xml`, which needs one).
      routes.addRoute({ ...route, method: 'OPTIONS', handler: (request) => Promise.resolve({ status: 200, headers: cors(request) }) }),
      routes.addRoute({
        ...route, method: 'GET',
        handler: () => Promise.resolve({ status: 200, text: INFO_PAGE, headers: { 'Content-Type': 'text/html; charset=utf-8' } }),
      }),
    ];
    ctx.provide(boshEndpointKey, { path: routes.pathFor('bosh', DEFAULT_PATH) });
    ctx.onUnload(() => {
      for (const dispose of disposers) dispose();
      sessions.closeAll();
    });
  },
});
