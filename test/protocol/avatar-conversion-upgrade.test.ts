/**
 * XEP-0398 for vCards stored before the conversion ran: a server without `vcard_legacy` keeps
 * a vCard photo; started again with it (the default), the user's next login publishes the photo
 * as a User Avatar (XEP-0084), as Prosody does, and only while the user has none.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { startServer, VirtualHost, type RunningServer } from '../../salon.js';
import { silentLogger } from '../../server/log/index.js';
import type { RawClient } from '../helpers/raw-client.js';
import { ask, login, sync } from '../helpers/roster-raw.js';
import { trustCertificate } from '../helpers/xmpp-client.js';
import { getItems, itemsOf } from '../helpers/pep-raw.js';

const USERS = { 'alice@localhost': 'alice-secret', 'bob@localhost': 'bob-secret' };
const METADATA = 'urn:xmpp:avatar:metadata';
const IMAGE = Buffer.from('a photo from before');
const ID = createHash('sha1').update(IMAGE).digest('hex');

let dataPath: string;
let server: RunningServer | undefined;
const clients: RawClient[] = [];

beforeEach(async () => {
  dataPath = await mkdtemp(join(tmpdir(), 'salon-avatar-conversion-'));
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.stop();
  server = undefined;
  await rm(dataPath, { recursive: true, force: true });
});

async function start(modulesDisabled: string[]): Promise<number> {
  server = await startServer({
    config: {
      c2s_ports: [0], c2s_direct_tls_ports: [], c2s_interfaces: ['127.0.0.1'], sasl_iterations: 4096,
      data_path: dataPath, hosts: [VirtualHost('localhost', { modules_disabled: modulesDisabled })],
    },
    logger: silentLogger(),
    users: USERS,
    tls: 'test',
  });
  trustCertificate(server.certificate);
  return server.c2s!.port;
}

async function online(port: number, user: string): Promise<RawClient> {
  const client = await login(port, user, 'desk');
  clients.push(client);
  return client;
}

async function restart(modulesDisabled: string[]): Promise<number> {
  for (const client of clients.splice(0)) client.close();
  await server!.stop();
  return start(modulesDisabled);
}

async function setPhoto(client: RawClient, image: Buffer): Promise<void> {
  const set = await ask(client, (id) => `<iq type='set' id='${id}'><vCard xmlns='vcard-temp'><PHOTO><TYPE>image/png</TYPE><BINVAL>${image.toString('base64')}</BINVAL></PHOTO></vCard></iq>`);
  expect(set.attrs.type).toBe('result');
}

async function metadataIds(reader: RawClient): Promise<string[]> {
  return itemsOf(await getItems(reader, 'alice@localhost', METADATA)).map((item) => String(item.attrs.id));
}

test('a stored vCard photo is published at the next login when there is no User Avatar, not over an existing one', async () => {
  let port = await start(['vcard_legacy']);
  let alice = await online(port, 'alice');
  await setPhoto(alice, IMAGE);
  await sync(alice);
  // Without the module nothing was converted.
  expect(await metadataIds(await online(port, 'bob'))).toEqual([]);

  port = await restart([]);
  alice = await online(port, 'alice');
  const deadline = Date.now() + 3000;
  let ids = await metadataIds(alice);
  while (ids.length === 0 && Date.now() < deadline) ids = await metadataIds(alice);
  expect(ids).toEqual([ID]);

  // A vCard changed while the conversion was off does not replace the User Avatar the user has.
  port = await restart(['vcard_legacy']);
  alice = await online(port, 'alice');
  await setPhoto(alice, Buffer.from('another photo'));
  port = await restart([]);
  alice = await online(port, 'alice');
  // Nothing answers when the login's conversion is done (json-file writes are durable, slower
  // than a round trip): long enough for it to have published, had it wrongly done so.
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(await metadataIds(alice)).toEqual([ID]);
});
