/**
 * A moderation tombstone (XEP-0425, `muc_moderation`) is durable on the shipped storage (LMDB
 * archives under `data_path`, no memory override): after a stop and a start on the same data
 * directory, a MAM query to the room returns the tombstone in the message's place, and the join
 * history read back from the archive does not hold the body.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { ask, configure, createInstantRoom, enter, login, SERVICE } from '../helpers/muc-harness.js';
import { forwardedMessage, queryRoom, roomStanzaIds, say } from '../helpers/muc-mam.js';
import { startMucServerOn } from '../helpers/muc-restartable-server.js';

let dataPath: string;

beforeAll(async () => {
  dataPath = await mkdtemp(joinPath(tmpdir(), 'salon-muc-moderation-'));
});
afterAll(async () => {
  await rm(dataPath, { recursive: true, force: true });
});

const start = (): ReturnType<typeof startMucServerOn> => startMucServerOn(dataPath, 'alice', 'bob');

test('the tombstone replaces the message in the LMDB archive across a restart', async () => {
  const first = await start();
  const alice = await login(first.port, 'alice', 'a');
  let moderatedId: string;
  try {
    await createInstantRoom(alice, 'kept', 'Alice');
    expect((await configure(alice, 'kept', { 'muc#roomconfig_persistentroom': '1' })).attrs.type).toBe('result');
    await say(alice, alice, 'kept', 'before');
    moderatedId = roomStanzaIds(await say(alice, alice, 'kept', 'regrettable'), 'kept')[0]!;
    await say(alice, alice, 'kept', 'after');
    const reply = await ask(alice, (id) => `<iq type='set' id='${id}' to='kept@${SERVICE}'><moderate xmlns='urn:xmpp:message-moderate:1' id='${moderatedId}'>`
      + "<retract xmlns='urn:xmpp:message-retract:1'/><reason>Typo</reason></moderate></iq>");
    expect(reply.attrs.type).toBe('result');
  } finally {
    alice.close();
    await first.stop();
  }
  expect(await readdir(dataPath)).toContain('_archives.mdb');

  const second = await start();
  const bob = await login(second.port, 'bob', 'b');
  try {
    const seen = bob.received.length;
    await enter(bob, 'kept', 'Bob');
    const history = bob.received.slice(seen).filter((el) => el.name === 'message' && el.getChild('delay', 'urn:xmpp:delay') !== undefined);
    expect(history.map((el) => el.getChildText('body'))).toEqual(['before', 'after']);
    expect(history.some((el) => el.toString().includes('regrettable'))).toBe(false);

    const answer = await queryRoom(bob, 'kept');
    expect(answer.bodies.slice(0, 3)).toEqual(['before', '', 'after']);
    expect(answer.ids[1]).toBe(moderatedId);
    const tombstone = forwardedMessage(answer.results[1]!)!;
    expect(tombstone.attrs.from).toBe(`kept@${SERVICE}/Alice`);
    const retracted = tombstone.getChild('retracted', 'urn:xmpp:message-retract:1');
    expect(retracted?.getChild('moderated', 'urn:xmpp:message-moderate:1')?.attrs.by).toBe(`kept@${SERVICE}/Alice`);
    expect(retracted?.getChildText('reason')).toBe('Typo');
    expect(answer.results.some((result) => result.toString().includes('regrettable'))).toBe(false);
  } finally {
    bob.close();
    await second.stop();
  }
}, 20_000);
