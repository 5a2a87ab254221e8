/**
 * MAM queries (XEP-0313 §4, XEP-0059 paging, #extended) over real sockets: paging both ways,
 * with/start/end, before-id/after-id/ids, flip-page, the page cap, metadata and every error.
 * Run twice: on the `memory` driver and on the default embedded engine (`storage: 'internal'`
 * in a temporary data_path), which must answer alike.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, afterAll, describe, expect, test } from '@jest/globals';
import { startServer, VirtualHost } from '../../salon.js';
import { recordingLogger } from '../helpers/recording-logger.js';
import type { RawClient } from '../helpers/raw-client.js';
import { ask, errorCondition, isPresence, login, sync } from '../helpers/roster-raw.js';
import { bodiesOf, finOf, forwarded, idsOf, MAM, queryArchive } from '../helpers/mam-raw.js';
import { startTestServer } from '../helpers/test-server.js';

const USERS = { 'alice@localhost': 'alice-secret', 'bob@localhost': 'bob-secret', 'carol@localhost': 'carol-secret' };

type Engine = 'memory' | 'internal';
let server: { port: number; stop(): Promise<void> };
let dataPath: string | undefined;
let alice: RawClient;
let bob: RawClient;
let carol: RawClient;
/** Archive ids of bob's ten messages from alice (m0..m9), then carol's two (c0, c1). */
const ids: string[] = [];
let middleTime = '';

async function connect(user: string, resource: string): Promise<RawClient> {
  const client = await login(server.port, user, resource);
  client.send('<presence/>');
  await client.waitFor(isPresence(`${user}@localhost/${resource}`));
  return client;
}

async function send(from: RawClient, body: string, to = 'bob@localhost'): Promise<void> {
  const seen = bob.received.length;
  from.send(`<message to='${to}' type='chat'><body>${body}</body></message>`);
  await bob.waitFor((el) => el.name === 'message' && el.getChildText('body') === body, 3000, seen);
}

/** The memory driver through the usual helper, or the default engine on disk. */
async function startOn(engine: Engine): Promise<{ port: number; stop(): Promise<void> }> {
  if (engine === 'memory') return startTestServer({ users: USERS });
  dataPath = await mkdtemp(join(tmpdir(), 'salon-mam-queries-'));
  const running = await startServer({
    config: {
      c2s_ports: [0], c2s_direct_tls_ports: [], c2s_interfaces: ['127.0.0.1'], http_ports: [], https_ports: [],
      sasl_iterations: 4096, data_path: dataPath, storage: 'internal', hosts: [VirtualHost('localhost')],
    },
    logger: recordingLogger('warn').logger,
    users: USERS,
    tls: 'test',
  });
  return { port: running.c2s!.port, stop: () => running.stop() };
}

describe.each<Engine>(['memory', 'internal'])('on the %s storage', (engine) => {
  /**
   * XEP-0059 `<count/>` is optional and the archive interface gives it only when a driver knows it
   * cheaply: the memory driver always does; another may leave it out, but never gets it wrong.
   */
  function expectCount(count: number | undefined, expected: number): void {
    if (engine === 'memory' || count !== undefined) expect(count).toBe(expected);
  }
  beforeAll(async () => {
    server = await startOn(engine);
    [alice, bob, carol] = await Promise.all([connect('alice', 'desk'), connect('bob', 'phone'), connect('carol', 'home')]);
    for (let i = 0; i < 10; i++) {
      await send(alice, `m${i}`);
      if (i === 4) {
        await new Promise((resolve) => setTimeout(resolve, 30)); // a gap in time between m4 and m5
        middleTime = new Date(Date.now() - 15).toISOString();
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
    }
    await send(carol, 'c0');
    await send(carol, 'c1', 'bob@localhost/phone');
    ids.push(...idsOf(await queryArchive(bob, {}, { max: 50 })));
    expect(ids).toHaveLength(12);
  });
  afterAll(async () => {
    for (const client of [alice, bob, carol]) client.close();
    await server.stop();
    if (dataPath !== undefined) await rm(dataPath, { recursive: true, force: true });
    dataPath = undefined;
    ids.length = 0;
  });
  afterEach(async () => {
    await sync(bob);
  });

  describe('paging (XEP-0059)', () => {
    test('forwards with after, until complete', async () => {
      const seen: string[] = [];
      let after: string | undefined;
      const flags: boolean[] = [];
      for (;;) {
        const page = await queryArchive(bob, {}, { max: 5, after });
        const fin = finOf(page);
        seen.push(...bodiesOf(page));
        flags.push(fin.complete);
        if (after === undefined) expectCount(fin.count, 12);
        if (fin.complete) break;
        expect(fin.first).toBe(idsOf(page)[0]);
        after = fin.last;
      }
      expect(seen).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'c0', 'c1']);
      expect(flags).toEqual([false, false, true]);
    });

    test('backwards from the end with <before/>, each page oldest first', async () => {
      const pages: string[][] = [];
      let before = '';
      for (;;) {
        const page = await queryArchive(bob, {}, { max: 5, before });
        pages.push(bodiesOf(page));
        const fin = finOf(page);
        if (fin.complete) break;
        before = fin.first!;
      }
      expect(pages).toEqual([['m7', 'm8', 'm9', 'c0', 'c1'], ['m2', 'm3', 'm4', 'm5', 'm6'], ['m0', 'm1']]);
    });

    test('an empty page has no first/last; max 0 gives the count alone', async () => {
      const past = await queryArchive(bob, {}, { max: 5, after: ids[11] });
      expect(finOf(past)).toMatchObject({ complete: true, first: undefined, last: undefined });
      expectCount(finOf(past).count, 0);
      const countOnly = await queryArchive(bob, {}, { max: 0 });
      expect(countOnly.results).toHaveLength(0);
      expectCount(finOf(countOnly).count, 12);
    });

    test('flip-page sends the page newest first', async () => {
      const page = await queryArchive(bob, {}, { max: 3, before: '' }, { extra: '<flip-page/>' });
      expect(bodiesOf(page)).toEqual(['c1', 'c0', 'm9']);
    });

    test('unknown after/before ids are item-not-found; index is not implemented', async () => {
      for (const paging of [{ after: 'nope' }, { before: '0000000000000000000000' }]) {
        const answer = await queryArchive(bob, {}, paging);
        expect(answer.iq.attrs.type).toBe('error');
        expect(errorCondition(answer.iq)).toBe('item-not-found');
      }
      const indexed = await queryArchive(bob, {}, { max: 2, index: 4 });
      expect(errorCondition(indexed.iq)).toBe('feature-not-implemented');
    });
  });

  describe('filters (XEP-0313 §4.1)', () => {
    test('with: a bare JID matches every resource, a full JID only that one', async () => {
      expect(bodiesOf(await queryArchive(bob, { with: 'carol@localhost' }))).toEqual(['c0', 'c1']);
      expect(bodiesOf(await queryArchive(bob, { with: 'carol@localhost/home' }))).toEqual(['c0', 'c1']);
      expect(bodiesOf(await queryArchive(bob, { with: 'carol@localhost/other' }))).toEqual([]);
      const alices = await queryArchive(alice, { with: 'bob@localhost' }, { max: 3 });
      expect(bodiesOf(alices)).toEqual(['m0', 'm1', 'm2']);
      expectCount(finOf(alices).count, 10);
    });

    test('start and end bound the time', async () => {
      expect(bodiesOf(await queryArchive(bob, { end: middleTime, with: 'alice@localhost' }))).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
      expect(bodiesOf(await queryArchive(bob, { start: middleTime, with: 'alice@localhost' }))).toEqual(['m5', 'm6', 'm7', 'm8', 'm9']);
      expect(bodiesOf(await queryArchive(bob, { start: '2000-01-01T00:00:00Z', end: '2000-01-02T00:00:00+01:00' }))).toEqual([]);
    });

    test('#extended: after-id, before-id and ids', async () => {
      expect(bodiesOf(await queryArchive(bob, { afterId: ids[2], beforeId: ids[6] }))).toEqual(['m3', 'm4', 'm5']);
      expect(bodiesOf(await queryArchive(bob, { ids: [ids[9]!, ids[1]!, ids[10]!] }))).toEqual(['m1', 'm9', 'c0']);
      // before-id is a bound, not backwards paging: the oldest items before it come first.
      expect(bodiesOf(await queryArchive(bob, { beforeId: ids[6] }, { max: 2 }))).toEqual(['m0', 'm1']);
      const unknown = await queryArchive(bob, { afterId: 'unknown' });
      expect(errorCondition(unknown.iq)).toBe('item-not-found');
      const unknownBefore = await queryArchive(bob, { beforeId: 'unknown' });
      expect(errorCondition(unknownBefore.iq)).toBe('item-not-found');
    });

    test('malformed forms are bad-request', async () => {
      const cases = [
        { start: 'yesterday' },
        { with: 'not@a@jid' },
        { rawFields: "<field var='unknown'><value>x</value></field>" },
      ];
      for (const filters of cases) {
        const answer = await queryArchive(bob, filters);
        expect({ filters, condition: errorCondition(answer.iq) }).toEqual({ filters, condition: 'bad-request' });
      }
      const wrongType = await ask(bob, (id) => `<iq type='set' id='${id}'><query xmlns='${MAM}'><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>urn:other</value></field></x></query></iq>`);
      expect(errorCondition(wrongType)).toBe('bad-request');
      const badMax = await queryArchive(bob, {}, { max: -1 });
      expect(errorCondition(badMax.iq)).toBe('bad-request');
    });

    test('another account’s archive is forbidden', async () => {
      const answer = await queryArchive(alice, {}, undefined, { to: 'bob@localhost' });
      expect(answer.iq.attrs.type).toBe('error');
      expect(errorCondition(answer.iq)).toBe('forbidden');
      expect(answer.results).toEqual([]);
      const prefs = await ask(alice, (id) => `<iq type='get' id='${id}' to='bob@localhost'><prefs xmlns='${MAM}'/></iq>`);
      expect(errorCondition(prefs)).toBe('forbidden');
    });

    test('a query to the own bare JID is answered like one without `to`; results come from it', async () => {
      const answer = await queryArchive(bob, { with: 'carol@localhost' }, undefined, { to: 'bob@localhost' });
      expect(bodiesOf(answer)).toEqual(['c0', 'c1']);
      expect(answer.results[0]!.attrs.from).toBe('bob@localhost');
      expect(forwarded(answer.results[0]!).attrs.from).toBe('carol@localhost/home');
    });

    test('metadata gives the first and last ids and times', async () => {
      const reply = await ask(bob, (id) => `<iq type='get' id='${id}'><metadata xmlns='${MAM}'/></iq>`);
      const metadata = reply.getChild('metadata', MAM)!;
      expect(metadata.getChild('start')?.attrs.id).toBe(ids[0]);
      expect(metadata.getChild('end')?.attrs.id).toBe(ids[11]);
      expect(Date.parse(String(metadata.getChild('end')?.attrs.timestamp))).toBeGreaterThanOrEqual(Date.parse(String(metadata.getChild('start')?.attrs.timestamp)));
    });
  });

  describe('the page cap (max_archive_query_results, shipped 50)', () => {
    test('a client asking for 100 gets 50, then the rest', async () => {
      for (let i = 0; i < 45; i++) carol.send(`<message to='bob@localhost' type='chat'><body>x${i}</body></message>`);
      await sync(carol);
      await sync(bob);
      const first = await queryArchive(bob, {}, { max: 100 });
      expect(first.results).toHaveLength(50);
      expect(finOf(first).complete).toBe(false);
      expectCount(finOf(first).count, 57);
      const rest = await queryArchive(bob, {}, { max: 100, after: finOf(first).last });
      expect(rest.results).toHaveLength(7);
      expect(finOf(rest).complete).toBe(true);
      // No max: Prosody's default page of 20.
      expect((await queryArchive(bob)).results).toHaveLength(20);
    });
  });
});
