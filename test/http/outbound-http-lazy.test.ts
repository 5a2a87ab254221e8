import { expect, test } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '../../server/log/index.js';
import { OutboundHttpClient } from '../../server/net/outbound-http.js';

/** Set on the global object by undici 7 as it loads (its default dispatcher); Node's own fetch uses another. */
const undiciLoaded = (): boolean => Symbol.for('undici.globalDispatcher.2') in globalThis;

test('undici is loaded by the first request, not before: a server that never calls out never loads it', async () => {
  const client = new OutboundHttpClient(silentLogger());
  expect(await client.request({ url: 'not a url', timeoutMs: 1_000 })).toMatchObject({ ok: false, reason: 'invalid-url' });
  expect(undiciLoaded()).toBe(false);
  const server = createServer((_request, response) => response.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    expect(await client.request({ url: `http://127.0.0.1:${port}/`, timeoutMs: 2_000 })).toMatchObject({ ok: true, status: 200 });
    expect(undiciLoaded()).toBe(true);
  } finally {
    await client.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
