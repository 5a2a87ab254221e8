/**
 * The `http_altconnect` module (as Prosody's community mod_http_altconnect): XEP-0156 discovery
 * of the WebSocket and BOSH endpoints loaded on the host, at `/.well-known/host-meta` and
 * `/.well-known/host-meta.json`. Like Prosody's, the documents carry
 * `Access-Control-Allow-Origin: *`: they are public, and web clients of any origin read them.
 */
import { defineModule } from '../../server/modules/index.js';
import { httpServiceKey, type HttpRequest, type HttpResponse } from '../http-types.js';
import { boshEndpointKey, websocketEndpointKey } from '../web-clients/endpoints.js';
import { connectionLinks, hostMetaJson, hostMetaXrd, type AltConnection } from './host-meta.js';

const PUBLIC = { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'max-age=300' } as const;

export const altconnectModule = defineModule({
  name: 'http_altconnect',
  description: 'XEP-0156 discovery of the web endpoints (/.well-known/host-meta and host-meta.json).',
  hostKinds: ['user'],
  autoload: true,
  load(ctx) {
    const routes = ctx.service(httpServiceKey);
    if (routes === undefined) throw new Error('http_altconnect needs the HTTP listener');
    // Behind a TLS-terminating proxy (one of `trusted_proxies`) the client used the scheme and
    // host the proxy reports: advertise wss:// and https:// there, not what the proxy reached.
    const linksFor = (request: HttpRequest): AltConnection[] | undefined => connectionLinks(request.publicHost, request.publicScheme === 'https', {
      websocket: ctx.service(websocketEndpointKey)?.path,
      bosh: ctx.service(boshEndpointKey)?.path,
    });
    const answer = (request: HttpRequest, render: (links: AltConnection[]) => HttpResponse): Promise<HttpResponse> => {
      const links = linksFor(request);
      if (links === undefined) return Promise.resolve({ status: 400, json: { error: 'Bad Host header' } });
      return Promise.resolve(render(links));
    };
    const disposers = [
      routes.addRoute({
        method: 'GET', path: '/.well-known/host-meta', anyHost: true,
        handler: (request) => answer(request, (links) => ({
          status: 200, text: hostMetaXrd(links), headers: { 'Content-Type': 'application/xrd+xml; charset=utf-8', ...PUBLIC },
        })),
      }),
      routes.addRoute({
        method: 'GET', path: '/.well-known/host-meta.json', anyHost: true,
        handler: (request) => answer(request, (links) => ({ status: 200, json: hostMetaJson(links), headers: PUBLIC })),
      }),
    ];
    ctx.onUnload(() => {
      for (const dispose of disposers) dispose();
    });
  },
});
