/**
 * Persistent rooms survive a real restart on the default (file) storage; temporary rooms vanish
 * with their last occupant (XEP-0045 §10.1.3 muc#roomconfig_persistentroom).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { RawClient } from '../helpers/raw-client.js';
import {
  ask, configure, createInstantRoom, enter, errorCondition, item, join, login, MUC_ADMIN, SERVICE, since, sync,
} from '../helpers/muc-harness.js';
import { startMucServerOn } from '../helpers/muc-restartable-server.js';

let dataPath: string;

beforeAll(async () => {
  dataPath = await mkdtemp(joinPath(tmpdir(), 'salon-muc-'));
});
afterAll(async () => {
  await rm(dataPath, { recursive: true, force: true });
});

const start = (): ReturnType<typeof startMucServerOn> => startMucServerOn(dataPath, 'alice', 'bob', 'carol');

const discoInfo = (client: RawClient, room: string) =>
  ask(client, (id) => `<iq type='get' id='${id}' to='${room}@${SERVICE}'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`);

describe('persistent rooms across a restart', () => {
  test('configuration, affiliations and subject come back; temporary and no-longer-persistent rooms do not', async () => {
    const first = await start();
    const [alice, bob] = await Promise.all([login(first.port, 'alice', 'a'), login(first.port, 'bob', 'b')]);
    try {
      await createInstantRoom(alice, 'keep', 'Alice');
      const configured = await configure(alice, 'keep', { 'muc#roomconfig_persistentroom': '1', 'muc#roomconfig_roomname': 'Keeper', 'muc#roomconfig_roomsecret': 'pw' });
      expect(configured.attrs.type).toBe('result');
      const lists = await ask(alice, (id) => `<iq type='set' id='${id}' to='keep@${SERVICE}'><query xmlns='${MUC_ADMIN}'>`
        + "<item affiliation='member' jid='bob@localhost'/><item affiliation='outcast' jid='carol@localhost'/></query></iq>");
      expect(lists.attrs.type).toBe('result');
      await enter(bob, 'keep', 'Bob', { password: 'pw' });
      alice.send(`<message to='keep@${SERVICE}' type='groupchat' id='topic'><subject>Kept topic</subject></message>`);
      await bob.waitFor((el) => el.attrs.id === 'topic', 3000);
      await createInstantRoom(alice, 'fleeting', 'Alice');
      await createInstantRoom(alice, 'demoted', 'Alice');
      expect((await configure(alice, 'demoted', { 'muc#roomconfig_persistentroom': '1' })).attrs.type).toBe('result');
      expect((await configure(alice, 'demoted', { 'muc#roomconfig_persistentroom': '0' })).attrs.type).toBe('result');
      await sync(alice);
    } finally {
      alice.close();
      bob.close();
      await first.stop();
    }

    const second = await start();
    const [alice2, bob2, carol2] = await Promise.all([login(second.port, 'alice', 'a'), login(second.port, 'bob', 'b'), login(second.port, 'carol', 'c')]);
    try {
      const info = await discoInfo(bob2, 'keep');
      expect(info.getChild('query')?.getChild('identity')?.attrs.name).toBe('Keeper');
      const features = info.getChild('query')?.getChildren('feature').map((f) => f.attrs.var);
      expect(features).toEqual(expect.arrayContaining(['muc_persistent', 'muc_passwordprotected']));
      for (const room of ['fleeting', 'demoted']) expect(errorCondition(await discoInfo(bob2, room))).toBe('item-not-found');
      expect(errorCondition(await join(carol2, 'keep', 'Carol', { password: 'pw' }))).toBe('forbidden');
      expect(errorCondition(await join(bob2, 'keep', 'Bob'))).toBe('not-authorized');
      const mark = bob2.received.length;
      const self = await enter(bob2, 'keep', 'Bob', { password: 'pw' });
      expect(item(self)?.attrs.affiliation).toBe('member');
      expect(since(bob2, mark).at(-1)?.getChildText('subject')).toBe('Kept topic');
      const owner = await enter(alice2, 'keep', 'Alice', { password: 'pw' });
      expect(item(owner)?.attrs.affiliation).toBe('owner');
      // Persistent rooms stay when everyone leaves.
      for (const [client, nick] of [[bob2, 'Bob'], [alice2, 'Alice']] as const) client.send(`<presence to='keep@${SERVICE}/${nick}' type='unavailable'/>`);
      await sync(bob2);
      await sync(alice2);
      expect((await discoInfo(carol2, 'keep')).attrs.type).toBe('result');
    } finally {
      for (const client of [alice2, bob2, carol2]) client.close();
      await second.stop();
    }
  });
});
