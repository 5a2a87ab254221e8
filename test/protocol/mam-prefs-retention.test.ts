/**
 * Archiving preferences (XEP-0313 §6.1, `default_archive_policy`) and retention
 * (`archive_expires_after`, swept every `archive_cleanup_interval`) over real sockets.
 */
import { describe, expect, test } from '@jest/globals';
import { coreOf } from '../../server/core/index.js';
import { newArchiveId } from '../../server/storage/index.js';
import type { RawClient } from '../helpers/raw-client.js';
import { ask, befriend, errorCondition, getRoster, sync } from '../helpers/roster-raw.js';
import { bodiesOf, MAM, queryArchive } from '../helpers/mam-raw.js';
import { rawOnline, rawServerPerTest } from '../helpers/server-per-test.js';
import { startTestServer, type TestServer, type TestServerOptions } from '../helpers/test-server.js';

const USERS = { 'alice@localhost': 'alice-secret', 'bob@localhost': 'bob-secret', 'carol@localhost': 'carol-secret' };
const DAY = 86_400_000;

const fixture = rawServerPerTest({ start: false });

function start(globals: Record<string, unknown> = {}, options: TestServerOptions = {}): Promise<TestServer> {
  return fixture.start({ users: USERS, globals, ...options });
}

function connect(user: string, resource = 'r'): Promise<RawClient> {
  return rawOnline(fixture, user, resource);
}

/** Sends a chat and waits until the recipient has it (so both archives have decided). */
async function chat(from: RawClient, to: RawClient, toJid: string, body: string): Promise<void> {
  const seen = to.received.length;
  from.send(`<message to='${toJid}' type='chat'><body>${body}</body></message>`);
  await to.waitFor((el) => el.name === 'message' && el.getChildText('body') === body, 3000, seen);
}

function setPrefs(client: RawClient, inner: string) {
  return ask(client, (id) => `<iq type='set' id='${id}'><prefs xmlns='${MAM}' ${inner}</prefs></iq>`);
}

function jids(prefs: import('ltx').Element, list: string): string[] {
  return prefs.getChild('prefs', MAM)!.getChild(list)!.getChildren('jid').map((j) => j.getText());
}

describe('preferences', () => {
  test('get shows the server default; set answers and applies always/never lists both ways', async () => {
    await start();
    const [alice, bob, carol] = [await connect('alice'), await connect('bob'), await connect('carol')];
    const initial = await ask(bob, (id) => `<iq type='get' id='${id}'><prefs xmlns='${MAM}'/></iq>`);
    expect(initial.getChild('prefs', MAM)?.attrs.default).toBe('always');
    expect(jids(initial, 'always')).toEqual([]);

    const set = await setPrefs(bob, "default='always'><always/><never><jid>alice@localhost/desk</jid></never>");
    expect(set.attrs.type).toBe('result');
    expect(jids(set, 'never')).toEqual(['alice@localhost']); // matched as the contact's bare JID
    const got = await ask(bob, (id) => `<iq type='get' id='${id}'><prefs xmlns='${MAM}'/></iq>`);
    expect(jids(got, 'never')).toEqual(['alice@localhost']);

    await chat(alice, bob, 'bob@localhost', 'from alice');
    await chat(bob, alice, 'alice@localhost', 'to alice');
    await chat(carol, bob, 'bob@localhost', 'from carol');
    expect(bodiesOf(await queryArchive(bob))).toEqual(['from carol']);
    // Alice's own prefs are hers: she keeps both.
    expect(bodiesOf(await queryArchive(alice))).toEqual(['from alice', 'to alice']);

    await setPrefs(bob, "default='never'><always><jid>alice@localhost</jid></always><never/>");
    await chat(alice, bob, 'bob@localhost', 'again alice');
    await chat(carol, bob, 'bob@localhost', 'again carol');
    expect(bodiesOf(await queryArchive(bob))).toEqual(['from carol', 'again alice']);
  });

  test('roster: only contacts in the roster are archived, unless listed', async () => {
    await start();
    const [alice, bob, carol] = [await connect('alice'), await connect('bob'), await connect('carol')];
    await Promise.all([getRoster(bob), getRoster(carol)]); // roster pushes go to interested resources
    await befriend(bob, 'bob', carol, 'carol');
    await setPrefs(bob, "default='roster'><always/><never/>");
    await chat(alice, bob, 'bob@localhost', 'stranger');
    await chat(carol, bob, 'bob@localhost', 'friend');
    await chat(bob, alice, 'alice@localhost', 'to stranger');
    expect(bodiesOf(await queryArchive(bob))).toEqual(['friend']);
    await setPrefs(bob, "default='roster'><always><jid>alice@localhost</jid></always><never><jid>carol@localhost</jid></never>");
    await chat(alice, bob, 'bob@localhost', 'listed stranger');
    await chat(carol, bob, 'bob@localhost', 'unlisted friend');
    expect(bodiesOf(await queryArchive(bob))).toEqual(['friend', 'listed stranger']);
  });

  test('an invalid default is bad-request and changes nothing', async () => {
    await start();
    const bob = await connect('bob');
    const answer = await setPrefs(bob, "default='sometimes'><always/><never/>");
    expect(errorCondition(answer)).toBe('bad-request');
    const got = await ask(bob, (id) => `<iq type='get' id='${id}'><prefs xmlns='${MAM}'/></iq>`);
    expect(got.getChild('prefs', MAM)?.attrs.default).toBe('always');
  });

  test('default_archive_policy = false archives nothing until a user opts in', async () => {
    await start({ default_archive_policy: false });
    const [alice, bob] = [await connect('alice'), await connect('bob')];
    await chat(alice, bob, 'bob@localhost', 'unkept');
    expect(bodiesOf(await queryArchive(bob))).toEqual([]);
    const prefs = await ask(bob, (id) => `<iq type='get' id='${id}'><prefs xmlns='${MAM}'/></iq>`);
    expect(prefs.getChild('prefs', MAM)?.attrs.default).toBe('never');
    await setPrefs(bob, "default='always'><always/><never/>");
    await chat(alice, bob, 'bob@localhost', 'kept');
    expect(bodiesOf(await queryArchive(bob))).toEqual(['kept']);
  });
});

describe('retention', () => {
  test('the shipped default keeps one week: an item 8 days old is swept, one 6 days old stays', async () => {
    // archive_cleanup_interval is lowered from its shipped 4 hours only so that a sweep runs
    // within the test; archive_expires_after keeps its shipped default ("1w").
    await start({ archive_cleanup_interval: 0.2 });
    const archive = coreOf(fixture.server).storage.openArchive('localhost', 'archive');
    const stanza = "<message xmlns='jabber:client' from='alice@localhost/r' to='bob@localhost' type='chat'><body>old</body></message>";
    const now = Date.now();
    const old = { id: newArchiveId(now - 8 * DAY), when: now - 8 * DAY, with: 'alice@localhost/r', stanza };
    const recent = { id: newArchiveId(now - 6 * DAY), when: now - 6 * DAY, with: 'alice@localhost/r', stanza: stanza.replace('old', 'recent') };
    await archive.append('bob@localhost', old);
    await archive.append('bob@localhost', recent);
    const deadline = Date.now() + 3000;
    while ((await archive.get('bob@localhost', old.id)) !== undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await archive.get('bob@localhost', old.id)).toBeUndefined();
    const bob = await connect('bob');
    expect(bodiesOf(await queryArchive(bob))).toEqual(['recent']);
  });

  test('a short archive_expires_after (in seconds) empties the archive once messages age', async () => {
    // One second, so that a message expires during the test; sweeps every 0.2 s.
    await start({ archive_expires_after: 1, archive_cleanup_interval: 0.2 });
    const [alice, bob] = [await connect('alice'), await connect('bob')];
    await chat(alice, bob, 'bob@localhost', 'ephemeral');
    expect(bodiesOf(await queryArchive(bob))).toEqual(['ephemeral']);
    const deadline = Date.now() + 4000;
    let bodies = ['ephemeral'];
    while (bodies.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      bodies = bodiesOf(await queryArchive(bob));
    }
    expect(bodies).toEqual([]);
    await sync(alice);
  });

  test('a period that does not parse stops start-up naming the option', async () => {
    await expect(startTestServer({ users: USERS, globals: { archive_expires_after: 'a fortnight' } })).rejects.toThrow(/archive_expires_after/);
  });
});
