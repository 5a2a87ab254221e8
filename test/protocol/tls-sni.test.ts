import { afterEach, expect, test } from '@jest/globals';
import { X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server } from 'node:tls';
import { generateSelfSigned, TlsMaterial } from '../../server/tls/index.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  server = undefined;
});

/** The certificate a TLS server presents for a server name (or none). */
async function presented(port: number, servername: string | undefined): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...(servername ? { servername } : {}) }, () => {
      const peer = socket.getPeerX509Certificate();
      // Resolved once the socket is closed, so no connection outlives the test.
      socket.once('close', () => resolve(peer?.subjectAltName));
      socket.end();
    });
    socket.on('error', reject);
  });
}

test('SNI picks each host certificate; no or unknown names get the default host', async () => {
  const [a, b] = await Promise.all([generateSelfSigned(['a.example']), generateSelfSigned(['b.example'])]);
  const material = new TlsMaterial(new Map([['a.example', a], ['b.example', b]]), 'a.example');
  server = createServer(material.serverOptions(), (socket) => socket.end());
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const aNames = new X509Certificate(a.cert).subjectAltName;
  const bNames = new X509Certificate(b.cert).subjectAltName;
  expect(await presented(port, 'b.example')).toBe(bNames);
  expect(await presented(port, 'B.Example')).toBe(bNames);
  expect(await presented(port, 'a.example')).toBe(aNames);
  expect(await presented(port, 'unknown.example')).toBe(aNames);
  expect(await presented(port, undefined)).toBe(aNames);
});
