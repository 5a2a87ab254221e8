/**
 * The one line that says a server is ready and where to reach it: the client ports (STARTTLS and
 * Direct TLS, as the host:port a client is configured with), the web-client endpoints (RFC 7395
 * WebSocket, XEP-0206 BOSH), and every other HTTP path with its URLs (`/muc_kick`,
 * `/roster_admin/refresh`, discovery, health), so that nobody pieces addresses together from the
 * listener lines.
 */

/** What a started server knows about its addresses. */
export interface ReadyFacts {
  /** The first VirtualHost: what clients name when a port listens on every interface. */
  readonly domain: string;
  readonly c2s: ReadonlyArray<{ readonly kind: string; readonly address: string; readonly port: number }>;
  /** The WebSocket and BOSH URLs of the first VirtualHost (their paths pick the web routes out). */
  readonly websocketUrl: string | undefined;
  readonly boshUrl: string | undefined;
  /** Each host's paths, methods together, with the URLs they answer on. */
  readonly routes: ReadonlyArray<{ readonly host: string; readonly methods: readonly string[]; readonly path: string; readonly urls: readonly string[] }>;
}

const WILDCARD = new Set(['*', '0.0.0.0', '::', '']);

function hostPort(domain: string, address: string, port: number): string {
  if (WILDCARD.has(address)) return `${domain}:${port}`;
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

function pathOf(url: string | undefined): string | undefined {
  return url === undefined ? undefined : new URL(url).pathname;
}

/** The fields and the message of the "ready" line. */
export function readyLine(facts: ReadyFacts): { fields: Record<string, unknown>; message: string } {
  const clients = [...new Set(facts.c2s.map((l) => `${hostPort(facts.domain, l.address, l.port)} (${l.kind === 'c2s' ? 'STARTTLS' : 'Direct TLS'})`))];
  const websocketPath = pathOf(facts.websocketUrl);
  const webPaths = new Set([websocketPath, pathOf(facts.boshUrl)]);
  const web: string[] = [];
  const http: string[] = [];
  for (const route of facts.routes) {
    if (route.host === facts.domain && webPaths.has(route.path)) {
      // RFC 7395 §3: a WebSocket URL has the ws:// or wss:// scheme of its http:// or https:// one.
      web.push(...route.urls.map((url) => (route.path === websocketPath ? url.replace(/^http/, 'ws') : url)));
    } else {
      http.push(...route.urls.map((url) => `${route.methods.join(',')} ${url}`));
    }
  }
  const parts = [
    `XMPP clients: ${clients.length === 0 ? 'none' : clients.join(', ')}`,
    ...(web.length === 0 ? [] : [`web clients: ${web.join(', ')}`]),
    ...(http.length === 0 ? [] : [`HTTP: ${http.join(', ')}`]),
  ];
  return { fields: { c2s: clients, web, http }, message: `ready; ${parts.join('; ')}` };
}
