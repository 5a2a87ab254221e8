/**
 * What `salon start` logs while starting, read from a real server: each HTTP path once per host
 * (its methods together, each URL once although 127.0.0.1 and ::1 listen on the same port), then
 * one "ready" line naming the client ports, the web-client URLs and the other HTTP routes.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { Component, startServer, VirtualHost, type RunningServer } from '../../salon.js';
import { recordingLogger } from '../helpers/recording-logger.js';

/** A port free on loopback now, so that both loopback interfaces can listen on the same one. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

const recorded = recordingLogger('info');
let server: RunningServer;
let httpPort: number;

beforeAll(async () => {
  httpPort = await freePort();
  server = await startServer({
    config: {
      c2s_ports: [0], c2s_direct_tls_ports: [], c2s_interfaces: ['127.0.0.1'],
      http_ports: [httpPort], https_ports: [], http_interfaces: ['127.0.0.1', '::1'],
      hosts: [VirtualHost('localhost'), Component('conference.localhost', 'muc', { modules_enabled: ['http_muc_kick'], http_muc_kick_authorization_header: 'Bearer k' })],
    },
    storage: 'memory',
    tls: false,
    logger: recorded.logger,
  });
}, 30_000);
afterAll(async () => {
  await server.stop();
});

type Line = { msg: string; host?: string; path?: string; methods?: string[]; urls?: string[]; c2s?: string[]; web?: string[]; http?: string[] };

test('each HTTP path is logged once per host, with its methods together and each URL once', () => {
  const routes = (recorded.lines as Line[]).filter((line) => line.msg.startsWith('HTTP route '));
  const keys = routes.map((line) => `${line.host} ${line.path}`);
  expect(new Set(keys).size).toBe(keys.length);
  const bosh = routes.find((line) => line.host === 'localhost' && line.path === '/http-bind');
  expect(bosh?.methods?.sort()).toEqual(['GET', 'OPTIONS', 'POST']);
  expect(bosh?.urls).toEqual([`http://localhost:${httpPort}/http-bind`]);
  const kick = routes.find((line) => line.path === '/muc_kick');
  expect(kick).toMatchObject({ host: 'conference.localhost', methods: ['POST'], urls: [`http://conference.localhost:${httpPort}/muc_kick`] });
});

test('one "ready" line, after every other start-up line, with the addresses to connect to', () => {
  const lines = recorded.lines as Line[];
  const ready = lines.filter((line) => line.msg.startsWith('ready;'));
  expect(ready).toHaveLength(1);
  expect(lines.at(-1)).toBe(ready[0]);
  expect(ready[0]!.c2s).toEqual([`127.0.0.1:${server.c2s!.port} (STARTTLS)`]);
  expect(ready[0]!.web).toEqual([`ws://localhost:${httpPort}/xmpp-websocket`, `http://localhost:${httpPort}/http-bind`]);
  expect(ready[0]!.http).toContain(`POST http://conference.localhost:${httpPort}/muc_kick`);
  expect(new Set(ready[0]!.http).size).toBe(ready[0]!.http!.length);
});
