/**
 * `RunningServer.reload()` on a server started from a config file: the file is read again and
 * what can change live does (modules, module options, the negotiation policy, rooms declared in
 * `muc_rooms`, certificates), what cannot is reported as needing a restart, and an invalid file
 * changes nothing. Checked with real clients: disco, logins, room disco, TLS handshakes.
 */
import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { afterEach, beforeAll, beforeEach, expect, test } from '@jest/globals';
import { moduleCatalog } from '../../module-catalog.js';
import { startServer, type RunningServer } from '../../salon.js';
import { loadConfig } from '../../server/config/index.js';
import { generateSelfSigned } from '../../server/tls/index.js';
import { RawClient } from '../helpers/raw-client.js';
import { rawLogin } from '../helpers/raw-login.js';
import { recordingLogger } from '../helpers/recording-logger.js';

interface Pem { cert: string; key: string }

let dir: string;
let server: RunningServer | undefined;
let logs: Record<string, unknown>[];
let first: Pem;
let second: Pem;

beforeAll(async () => {
  [first, second] = await Promise.all([generateSelfSigned(['localhost']), generateSelfSigned(['localhost'])]);
}, 30_000);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'salon-reload-'));
  await mkdir(join(dir, 'certs'));
  await writeCertificate(first);
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function writeCertificate(pem: Pem): Promise<void> {
  await writeFile(join(dir, 'certs', 'localhost.crt'), pem.cert);
  await writeFile(join(dir, 'certs', 'localhost.key'), pem.key);
}

/** Writes salon.config.ts: fixed test listeners, `globals` and the MUC service's options added. */
async function writeConfig(globals: string, muc = ''): Promise<void> {
  await writeFile(join(dir, 'salon.config.ts'), `import { defineConfig, VirtualHost, Component } from 'salon';
export default defineConfig({
  c2s_ports: [0], c2s_direct_tls_ports: [0], c2s_interfaces: ['127.0.0.1'],
  http_ports: [], https_ports: [0], https_interfaces: ['127.0.0.1'],
  data_path: 'data', sasl_iterations: 4096, log_level: 'info',
  ${globals}
  hosts: [VirtualHost('localhost'), Component('conference.localhost', 'muc', { ${muc} })],
});
`);
}

async function start(): Promise<RunningServer> {
  const loaded = await loadConfig({ configPath: 'salon.config.ts', env: {}, cwd: dir, catalog: moduleCatalog });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
  const recorded = recordingLogger('info');
  logs = recorded.lines;
  server = await startServer({ config: loaded.value, logger: recorded.logger, storage: 'memory', users: { alice: 'alice-secret' }, cwd: dir });
  return server;
}

async function discoFeatures(client: RawClient, to: string, id: string): Promise<string[]> {
  const seen = client.received.length;
  client.send(`<iq type='get' id='${id}' to='${to}'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`);
  const reply = await client.waitFor((el) => el.attrs.id === id, 3000, seen);
  return reply.getChild('query')!.getChildren('feature').map((f) => String(f.attrs.var));
}

async function discoItems(client: RawClient, to: string, id: string): Promise<string[]> {
  const seen = client.received.length;
  client.send(`<iq type='get' id='${id}' to='${to}'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>`);
  const reply = await client.waitFor((el) => el.attrs.id === id, 3000, seen);
  return reply.getChild('query')!.getChildren('item').map((item) => String(item.attrs.jid));
}

test('modules enabled and disabled on reload load and unload; a restart-only option is reported, not applied', async () => {
  await writeConfig(`modules_disabled: ['carbons'],`);
  const running = await start();
  const alice = await rawLogin(running.c2s!.port, 'alice@localhost', 'alice-secret');
  expect(await discoFeatures(alice, 'localhost', 'd1')).not.toContain('urn:xmpp:carbons:2');

  // http_max_content_size: read by the HTTP listener at start-up (the http module is not even loaded).
  await writeConfig(`modules_disabled: ['ping'], c2s_ports: [0, 0], admins: ['alice@localhost'], http_max_content_size: 1024,`);
  const report = await running.reload();
  expect(report.ok).toBe(true);
  expect(report.applied).toEqual(expect.arrayContaining(['localhost: +carbons', 'localhost: -ping', 'admins']));
  expect(report.needsRestart).toEqual(['c2s_ports', 'http_max_content_size']);
  const features = await discoFeatures(alice, 'localhost', 'd2');
  expect(features).toContain('urn:xmpp:carbons:2');
  expect(features).not.toContain('urn:xmpp:ping');
  // One info line says it all.
  const line = logs.find((entry) => String(entry.msg).startsWith('config reloaded:'));
  expect(line).toMatchObject({ level: 30, needsRestart: ['c2s_ports', 'http_max_content_size'] });
  expect(line!.msg).toBe(`config reloaded: ${report.changed.length} changed, ${report.applied.length} applied, 2 waiting for a restart`);

  // The same file again: what is applied is not reported again, what waits for a restart still is.
  const again = await running.reload();
  expect([again.applied, again.needsRestart]).toEqual([[], ['c2s_ports', 'http_max_content_size']]);
  alice.close();
}, 20_000);

test('an invalid config changes nothing and its errors are logged', async () => {
  await writeConfig('');
  const running = await start();
  await writeConfig(`modules_disabled: ['ping'], c2s_require_encyption: false,`);
  const report = await running.reload();
  expect(report.ok).toBe(false);
  expect(report.errors.map((e) => e.message).join('\n')).toContain('c2s_require_encryption');
  expect(report.changes).toEqual([]);
  expect(logs.some((entry) => entry.level === 50 && String(entry.msg).includes('config reload refused'))).toBe(true);
  const alice = await rawLogin(running.c2s!.port, 'alice@localhost', 'alice-secret');
  expect(await discoFeatures(alice, 'localhost', 'd1')).toContain('urn:xmpp:ping');
  alice.close();
}, 20_000);

/** Logs in with PLAIN on a stream that never starts TLS; resolves to the SASL outcome's name. */
async function plainLoginWithoutTls(port: number): Promise<string> {
  const client = await RawClient.connect(port);
  client.openStream('localhost');
  const features = await client.waitFor((el) => el.name === 'stream:features');
  const mechanisms = features.getChild('mechanisms')?.getChildren('mechanism').map((m) => m.text()) ?? [];
  if (!mechanisms.includes('PLAIN')) {
    client.close();
    return 'no-plain';
  }
  client.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from('\0alice\0alice-secret').toString('base64')}</auth>`);
  const outcome = await client.waitFor((el) => el.name === 'success' || el.name === 'failure');
  client.close();
  return outcome.name;
}

test('the negotiation policy of new streams follows the reloaded config', async () => {
  await writeConfig('');
  const running = await start();
  expect(await plainLoginWithoutTls(running.c2s!.port)).toBe('no-plain');
  await writeConfig(`c2s_require_encryption: false, allow_unencrypted_plain_auth: true,`);
  const report = await running.reload();
  expect([...report.applied].sort()).toEqual(['allow_unencrypted_plain_auth', 'c2s_require_encryption']);
  expect(await plainLoginWithoutTls(running.c2s!.port)).toBe('success');
}, 20_000);

test('rooms declared in muc_rooms appear on reload; the muc module keeps its other rooms (stateful)', async () => {
  await writeConfig('', `muc_rooms: ['lobby'],`);
  const running = await start();
  const alice = await rawLogin(running.c2s!.port, 'alice@localhost', 'alice-secret');
  // A room made by joining (not declared): its occupant must still be in it after the reload.
  alice.send("<presence to='adhoc@conference.localhost/alice'><x xmlns='http://jabber.org/protocol/muc'/></presence>");
  await alice.waitFor((el) => el.name === 'presence' && el.attrs.from === 'adhoc@conference.localhost/alice');
  const before = await discoItems(alice, 'conference.localhost', 'i1');
  expect(before).toContain('lobby@conference.localhost');
  expect(before).not.toContain('support@conference.localhost');

  await writeConfig('', `muc_rooms: ['lobby', { name: 'support', config: { roomname: 'Support' } }], max_history_messages: 5,`);
  const report = await running.reload();
  expect(report.applied).toContain('conference.localhost: muc (muc_rooms)');
  expect(report.needsRestart).toContain('conference.localhost: muc (max_history_messages)');
  const after = await discoItems(alice, 'conference.localhost', 'i2');
  expect(after).toEqual(expect.arrayContaining(['lobby@conference.localhost', 'support@conference.localhost']));
  expect(after.length).toBe(before.length + 1);
  const seen = alice.received.length;
  alice.send("<message to='adhoc@conference.localhost' type='groupchat' id='m1'><body>still here</body></message>");
  const echo = await alice.waitFor((el) => el.name === 'message' && el.attrs.type === 'groupchat' && el.getChildText('body') === 'still here', 3000, seen);
  expect(echo.attrs.from).toBe('adhoc@conference.localhost/alice');
  alice.close();
}, 20_000);

/** A Direct TLS handshake; resolves to the certificate the server showed and the open socket. */
function handshake(port: number, servername: string | undefined): Promise<{ fingerprint: string; socket: TLSSocket }> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false, ...(servername === undefined ? {} : { servername }) });
    socket.once('secureConnect', () => resolve({ fingerprint: socket.getPeerX509Certificate()!.fingerprint256, socket }));
    socket.once('error', reject);
  });
}

/** Opens a stream on an established TLS socket and resolves once the server answers with features. */
function streamAnswers(socket: TLSSocket): Promise<boolean> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('stream:features')) resolve(true);
    });
    socket.once('close', () => resolve(false));
    socket.write("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>");
  });
}

test('renewed certificate files are served to new TLS connections (with and without SNI); open ones stay up', async () => {
  await writeConfig('');
  const running = await start();
  const port = running.directTls!.port;
  const httpsPort = Number(new URL(running.httpsUrl!).port);
  const firstPrint = new X509Certificate(first.cert).fingerprint256;
  const secondPrint = new X509Certificate(second.cert).fingerprint256;
  const open = await handshake(port, 'localhost');
  expect(open.fingerprint).toBe(firstPrint);

  await writeCertificate(second); // the config file itself does not change
  const report = await running.reload();
  expect(report.applied).toEqual(['certificate of localhost']);
  expect((await handshake(port, 'localhost')).fingerprint).toBe(secondPrint);
  const withoutSni = await handshake(port, undefined);
  expect(withoutSni.fingerprint).toBe(secondPrint);
  // The HTTPS listener too (WebSocket, BOSH and the admin API over TLS).
  for (const servername of ['localhost', undefined]) {
    const https = await handshake(httpsPort, servername);
    expect(https.fingerprint).toBe(secondPrint);
    https.socket.destroy();
  }
  expect(await streamAnswers(open.socket)).toBe(true);
  for (const socket of [open.socket, withoutSni.socket]) socket.destroy();

  // A broken certificate file: the reload says so and the certificate in use stays.
  await writeFile(join(dir, 'certs', 'localhost.crt'), 'not a certificate');
  const broken = await running.reload();
  expect(broken.failed).toEqual(['certificates']);
  const still = await handshake(port, 'localhost');
  expect(still.fingerprint).toBe(secondPrint);
  still.socket.destroy();
}, 20_000);
