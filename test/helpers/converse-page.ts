/**
 * A tiny web server for the browser test: it serves Converse.js's prebuilt `dist/` files and a
 * page that starts Converse with the account, transport and endpoint given in its query string.
 * It runs on its own loopback port (`http://127.0.0.1:<port>`, as a web app or a dev server
 * would), so the page is a foreign origin for Salon's listener.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
};

/** The page: a plugin exposes Converse's API to the test as `window.salonTest`. */
const INDEX_HTML = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Converse.js on Salon</title>
<link rel="stylesheet" href="/dist/converse.min.css"></head>
<body>
<script type="module">
import converse from '/dist/converse.min.js';
const params = new URLSearchParams(location.search);
const transport = params.get('transport');
converse.plugins.add('salon-test', {
  initialize() { window.salonTest = { api: this._converse.api, converse: this._converse }; },
});
converse.initialize({
  assets_path: '/dist/',
  auto_login: true,
  jid: params.get('jid'),
  password: params.get('password'),
  websocket_url: transport === 'websocket' ? params.get('service') : undefined,
  bosh_service_url: transport === 'bosh' ? params.get('service') : undefined,
  discover_connection_methods: false,
  view_mode: 'overlayed',
  allow_non_roster_messaging: true,
  auto_reconnect: false,
  enable_smacks: false,
  message_archiving: 'never',
  play_sounds: false,
  show_desktop_notifications: false,
  persistent_store: 'sessionStorage',
  i18n: 'en',
  loglevel: 'info',
  whitelisted_plugins: ['salon-test'],
  // OMEMO needs a WebAssembly module and PEP, neither of which the test is about.
  blacklisted_plugins: ['converse-omemo'],
});
</script>
</body></html>`;

export interface ConversePageServer {
  /** e.g. `http://127.0.0.1:41234` */
  readonly origin: string;
  close(): Promise<void>;
}

function distDirectory(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('converse.js/dist/converse.min.js'));
}

export async function startConversePage(): Promise<ConversePageServer> {
  const dist = distDirectory();
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://page').pathname);
    if (path === '/' || path === '/index.html') {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(INDEX_HTML);
      return;
    }
    const file = normalize(join(dist, path.replace(/^\/dist\//, '/')));
    if (!path.startsWith('/dist/') || !file.startsWith(dist + sep)) {
      response.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (content) => response.writeHead(200, { 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' }).end(content),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
