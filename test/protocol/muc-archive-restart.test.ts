/**
 * Room archives survive a restart on the configured storage (no memory override): after a stop
 * and a start on the same data directory, a persistent room's join history comes back from its
 * archive (with delay stamps from the room and the archive's stanza ids) and a MAM query to the
 * room still pages through what was said before.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { configure, createInstantRoom, enter, login, SERVICE } from '../helpers/muc-harness.js';
import { queryRoom, roomStanzaIds, say } from '../helpers/muc-mam.js';
import { startMucServerOn } from '../helpers/muc-restartable-server.js';

let dataPath: string;

beforeAll(async () => {
  dataPath = await mkdtemp(joinPath(tmpdir(), 'salon-muc-archive-'));
});
afterAll(async () => {
  await rm(dataPath, { recursive: true, force: true });
});

const start = (): ReturnType<typeof startMucServerOn> => startMucServerOn(dataPath, 'alice', 'bob');

test('history on join and MAM queries come from the archive after a restart', async () => {
  const first = await start();
  const alice = await login(first.port, 'alice', 'a');
  const said: { body: string; id: string }[] = [];
  try {
    await createInstantRoom(alice, 'durable', 'Alice');
    expect((await configure(alice, 'durable', { 'muc#roomconfig_persistentroom': '1' })).attrs.type).toBe('result');
    for (const body of ['before one', 'before two', 'before three']) {
      said.push({ body, id: roomStanzaIds(await say(alice, alice, 'durable', body), 'durable')[0]! });
    }
  } finally {
    alice.close();
    await first.stop();
  }

  const second = await start();
  const bob = await login(second.port, 'bob', 'b');
  try {
    const seen = bob.received.length;
    await enter(bob, 'durable', 'Bob', { history: "maxstanzas='2'" });
    const history = bob.received.slice(seen).filter((el) => el.name === 'message' && el.getChild('body') !== undefined);
    expect(history.map((el) => el.getChildText('body'))).toEqual(['before two', 'before three']);
    expect(history.map((el) => el.attrs.from)).toEqual([`durable@${SERVICE}/Alice`, `durable@${SERVICE}/Alice`]);
    expect(history.map((el) => el.getChild('delay', 'urn:xmpp:delay')?.attrs.from)).toEqual([`durable@${SERVICE}`, `durable@${SERVICE}`]);
    expect(history.map((el) => roomStanzaIds(el, 'durable')[0])).toEqual(said.slice(1).map((entry) => entry.id));
    // The replay does not reveal the sender's real JID kept in the archive.
    expect(history.some((el) => el.toString().includes('alice@localhost'))).toBe(false);

    const answer = await queryRoom(bob, 'durable', { max: 2 });
    expect(answer.bodies).toEqual(['before one', 'before two']);
    const rest = await queryRoom(bob, 'durable', { max: 2, after: answer.last! });
    expect(rest.bodies).toEqual(['before three']);
    expect([...answer.ids, ...rest.ids]).toEqual(said.map((entry) => entry.id));
    expect(rest.complete).toBe(true);
  } finally {
    bob.close();
    await second.stop();
  }
}, 20_000);
