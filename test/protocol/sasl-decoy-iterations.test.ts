/**
 * SCRAM's first challenge names the salt and iteration count (RFC 5802 §5.1); for a user that does
 * not exist the server answers with a decoy (RFC 5802 §9). Accounts keep the iteration count they
 * were created with, so after `sasl_iterations` changes the decoy must still carry the count stored
 * accounts carry, and its salt must survive a restart as a real account's does; otherwise comparing
 * two answers tells which names are accounts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { startServer, VirtualHost, type RunningServer } from '../../salon.js';
import { silentLogger } from '../../server/log/index.js';
import { RawClient } from '../helpers/raw-client.js';

let dir: string;
let server: RunningServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'salon-decoy-'));
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** A server on the test's data directory (json-file storage) with the given `sasl_iterations`. */
async function start(iterations: number, users: Record<string, string>): Promise<RunningServer> {
  return startServer({
    config: {
      c2s_ports: [0], c2s_direct_tls_ports: [], c2s_interfaces: ['127.0.0.1'], http_ports: [], https_ports: [],
      data_path: join(dir, 'data'), sasl_iterations: iterations, hosts: [VirtualHost('localhost')],
    },
    users,
    logger: silentLogger(),
    tls: 'test',
  });
}

/** The server-first-message for `username` (SCRAM-SHA-256 over STARTTLS), as a map of its fields. */
async function serverFirst(port: number, username: string): Promise<Map<string, string>> {
  const client = await RawClient.connect(port);
  try {
    client.openStream('localhost');
    await client.waitFor((el) => el.name === 'stream:features');
    client.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
    await client.waitFor((el) => el.name === 'proceed');
    await client.startTls();
    const seen = client.received.length;
    client.openStream('localhost');
    await client.waitFor((el) => el.name === 'stream:features', 3000, seen);
    const first = Buffer.from(`n,,n=${username},r=decoyprobe`).toString('base64');
    client.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256'>${first}</auth>`);
    const challenge = await client.waitFor((el) => el.name === 'challenge' || el.name === 'failure', 3000, seen);
    expect(challenge.name).toBe('challenge');
    const text = Buffer.from(challenge.getText(), 'base64').toString('utf8');
    return new Map(text.split(',').map((field) => [field.slice(0, 1), field.slice(2)]));
  } finally {
    client.close();
  }
}

test('after sasl_iterations changes, an unknown user still shows the stored accounts\' i= and the same salt', async () => {
  server = await start(4096, { 'alice@localhost': 'alice-secret', 'bob@localhost': 'bob-secret' });
  const ghostBefore = await serverFirst(server.c2s!.port, 'ghost');
  expect(ghostBefore.get('i')).toBe('4096');
  await server.stop();

  // Carol is created with the new count; alice and bob keep 4096, so 4096 is still the common one.
  server = await start(8192, { 'carol@localhost': 'carol-secret' });
  const port = server.c2s!.port;
  const alice = await serverFirst(port, 'alice');
  const carol = await serverFirst(port, 'carol');
  const ghost = await serverFirst(port, 'ghost');
  const phantom = await serverFirst(port, 'phantom');
  expect(alice.get('i')).toBe('4096');
  expect(carol.get('i')).toBe('8192');
  expect(ghost.get('i')).toBe(alice.get('i'));
  expect(phantom.get('i')).toBe(alice.get('i'));
  // A real salt survives the restart, so a decoy's must too; it is as long as a real one (16 bytes).
  expect(ghost.get('s')).toBe(ghostBefore.get('s'));
  expect(phantom.get('s')).not.toBe(ghost.get('s'));
  expect(Buffer.from(ghost.get('s') ?? '', 'base64')).toHaveLength(Buffer.from(alice.get('s') ?? '', 'base64').length);
}, 30_000);

test('with the shipped sasl_iterations and no account changes, the decoy shows the shipped count', async () => {
  server = await startServer({
    config: {
      c2s_ports: [0], c2s_direct_tls_ports: [], c2s_interfaces: ['127.0.0.1'], http_ports: [], https_ports: [],
      data_path: join(dir, 'data'), hosts: [VirtualHost('localhost')],
    },
    users: { 'alice@localhost': 'alice-secret' },
    logger: silentLogger(),
    tls: 'test',
  });
  const port = server.c2s!.port;
  expect((await serverFirst(port, 'alice')).get('i')).toBe('10000');
  expect((await serverFirst(port, 'ghost')).get('i')).toBe('10000');
}, 30_000);
