/**
 * The behaviour every `ArchiveStore` driver shares (server/storage/archive-store.ts), written once
 * and run against each driver: the memory reference, the embedded engine, PostgreSQL. A driver
 * test file calls `describeArchiveContract(name, openStore)`; `openStore` gives a new, empty store
 * for each test and `close` releases it (and whatever it stored).
 *
 * Items are made with times far in the future on a clock of their own, so that `when` is always
 * exactly the time of the item's id (`archiveIdTime`), as it is when the server archives a stanza.
 */
import { describe, test, expect, beforeEach, afterEach } from '@jest/globals';
import { archiveIdTime, newArchiveId } from '../../server/storage/archive-id.js';
import type { ArchivedItem, ArchivePage, ArchiveQuery, ArchiveStore } from '../../server/storage/archive-store.js';

/** A store under test and how to release it. */
export interface OpenedArchiveStore {
  readonly store: ArchiveStore;
  close(): Promise<void>;
}

// Year 2033 onwards: later than any clock reading made while the tests run, so ids made here
// carry exactly the time given.
let clock = 2_000_000_000_000;

/** A new item one second after the previous one made by this module. */
export function makeItem(withJid: string, stanza?: string, stepMs = 1_000): ArchivedItem {
  clock += stepMs;
  const id = newArchiveId(clock);
  if (archiveIdTime(id) !== clock) throw new Error('the archive id clock ran ahead of the test clock');
  return { id, when: clock, with: withJid, stanza: stanza ?? `<message xmlns="jabber:client" id="${id}"><body>${withJid}</body></message>` };
}

/** The page of a query that must not be a problem. */
async function page(store: ArchiveStore, archive: string, query: ArchiveQuery): Promise<ArchivePage> {
  const result = await store.query(archive, query);
  if (typeof result === 'string') throw new Error(`query ${JSON.stringify(query)} was answered with ${result}`);
  return result;
}

const ids = (items: readonly ArchivedItem[]): string[] => items.map((i) => i.id);

/** Pages forwards through every item matching `query` with `limit` per page; checks `complete`. */
async function pageForwards(store: ArchiveStore, archive: string, query: Omit<ArchiveQuery, 'limit'>, limit: number): Promise<ArchivedItem[][]> {
  const pages: ArchivedItem[][] = [];
  let afterId: string | undefined;
  for (let guard = 0; guard < 1_000; guard++) {
    const result = await page(store, archive, { ...query, limit, ...(afterId === undefined ? {} : { afterId }) });
    pages.push([...result.items]);
    if (result.complete) return pages;
    expect(result.items).toHaveLength(limit);
    afterId = result.items.at(-1)!.id;
  }
  throw new Error('paging forwards never completed');
}

/** Pages backwards (RSM `<before/>`) through every item matching `query`; pages come newest first. */
async function pageBackwards(store: ArchiveStore, archive: string, query: Omit<ArchiveQuery, 'limit'>, limit: number): Promise<ArchivedItem[][]> {
  const pages: ArchivedItem[][] = [];
  let beforeId: string | undefined;
  for (let guard = 0; guard < 1_000; guard++) {
    const result = await page(store, archive, { ...query, limit, fromEnd: true, ...(beforeId === undefined ? {} : { beforeId }) });
    pages.push([...result.items]);
    if (result.complete) return pages;
    expect(result.items).toHaveLength(limit);
    beforeId = result.items[0]!.id;
  }
  throw new Error('paging backwards never completed');
}

/** Appends items all at once: the archive orders them by id, whatever order their appends finish in. */
async function appendAll(store: ArchiveStore, archive: string, items: readonly ArchivedItem[]): Promise<void> {
  await Promise.all(items.map((item) => store.append(archive, item)));
}

/** Declares the contract tests for one driver. */
export function describeArchiveContract(name: string, openStore: () => Promise<OpenedArchiveStore>): void {
  describe(`archive store contract: ${name}`, () => {
    let opened: OpenedArchiveStore;
    let store: ArchiveStore;
    beforeEach(async () => {
      opened = await openStore();
      store = opened.store;
    });
    afterEach(async () => {
      await opened.close();
    });

    test('an archive never written to is empty, and its ids are unknown', async () => {
      const result = await page(store, 'nobody@localhost', { limit: 10 });
      expect(result.items).toEqual([]);
      expect(result.complete).toBe(true);
      if (result.count !== undefined) expect(result.count).toBe(0);
      expect(await store.get('nobody@localhost', newArchiveId())).toBeUndefined();
      expect(await store.query('nobody@localhost', { limit: 10, afterId: makeItem('x@localhost').id })).toBe('unknown-after-id');
    });

    test('items come back whole, oldest first', async () => {
      const items = [
        makeItem('bob@localhost', '<message xmlns="jabber:client"><body>h\u00e9 \u{1F600} &amp; &lt;tag&gt; "quoted"</body></message>'),
        makeItem('carol@localhost/phone'),
        makeItem('bob@localhost', 'x'.repeat(20_000)),
      ];
      await appendAll(store, 'alice@localhost', items);
      const result = await page(store, 'alice@localhost', { limit: 10 });
      expect(result.items).toEqual(items);
      expect(result.complete).toBe(true);
      if (result.count !== undefined) expect(result.count).toBe(3);
      for (const item of items) expect(await store.get('alice@localhost', item.id)).toEqual(item);
    });

    test('an item made earlier but appended later takes its place in id order', async () => {
      const [a, b, c, d] = [makeItem('b@l'), makeItem('b@l'), makeItem('b@l'), makeItem('b@l')];
      for (const item of [c!, a!, d!, b!]) await store.append('alice@localhost', item);
      expect(ids((await page(store, 'alice@localhost', { limit: 10 })).items)).toEqual(ids([a!, b!, c!, d!]));
      expect(ids((await page(store, 'alice@localhost', { limit: 2, fromEnd: true })).items)).toEqual(ids([c!, d!]));
    });

    test('concurrent appends all resolve and all are kept in id order', async () => {
      const items = Array.from({ length: 300 }, (_, i) => makeItem(`peer${i % 7}@localhost`));
      await Promise.all(items.map((item) => store.append('alice@localhost', item)));
      const pages = await pageForwards(store, 'alice@localhost', {}, 100);
      expect(ids(pages.flat())).toEqual(ids(items));
    });

    test('paging forwards: pages of the limit, after the last id, complete on the last page', async () => {
      const items = Array.from({ length: 25 }, () => makeItem('bob@localhost'));
      await appendAll(store, 'alice@localhost', items);
      const pages = await pageForwards(store, 'alice@localhost', {}, 10);
      expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
      expect(ids(pages.flat())).toEqual(ids(items));
      const first = await page(store, 'alice@localhost', { limit: 10 });
      expect(first.complete).toBe(false);
      if (first.count !== undefined) expect(first.count).toBe(25);
      // A page that ends exactly at the last item is complete.
      const exact = await page(store, 'alice@localhost', { limit: 5, afterId: items[19]!.id });
      expect(ids(exact.items)).toEqual(ids(items.slice(20)));
      expect(exact.complete).toBe(true);
      const afterLast = await page(store, 'alice@localhost', { limit: 5, afterId: items[24]!.id });
      expect(afterLast.items).toEqual([]);
      expect(afterLast.complete).toBe(true);
    });

    test('paging backwards: the newest items first, each page oldest first, complete at the start', async () => {
      const items = Array.from({ length: 25 }, () => makeItem('bob@localhost'));
      await appendAll(store, 'alice@localhost', items);
      const pages = await pageBackwards(store, 'alice@localhost', {}, 10);
      expect(pages.map(ids)).toEqual([ids(items.slice(15)), ids(items.slice(5, 15)), ids(items.slice(0, 5))]);
      const last = await page(store, 'alice@localhost', { limit: 10, fromEnd: true });
      expect(last.complete).toBe(false);
      const beforeFirst = await page(store, 'alice@localhost', { limit: 10, fromEnd: true, beforeId: items[0]!.id });
      expect(beforeFirst.items).toEqual([]);
      expect(beforeFirst.complete).toBe(true);
    });

    test('after and before ids together bound a range, from either end', async () => {
      const items = Array.from({ length: 12 }, () => makeItem('bob@localhost'));
      await appendAll(store, 'alice@localhost', items);
      const range = { afterId: items[2]!.id, beforeId: items[9]!.id };
      const forwards = await page(store, 'alice@localhost', { ...range, limit: 4 });
      expect(ids(forwards.items)).toEqual(ids(items.slice(3, 7)));
      expect(forwards.complete).toBe(false);
      const backwards = await page(store, 'alice@localhost', { ...range, limit: 4, fromEnd: true });
      expect(ids(backwards.items)).toEqual(ids(items.slice(5, 9)));
      expect(backwards.complete).toBe(false);
      const whole = await page(store, 'alice@localhost', { ...range, limit: 100 });
      expect(ids(whole.items)).toEqual(ids(items.slice(3, 9)));
      expect(whole.complete).toBe(true);
      const afterFromEnd = await page(store, 'alice@localhost', { afterId: items[8]!.id, limit: 2, fromEnd: true });
      expect(ids(afterFromEnd.items)).toEqual(ids(items.slice(10)));
      expect(afterFromEnd.complete).toBe(false); // items[9] is also after items[8]
    });

    test('a limit of 0 returns no items (a count-only query)', async () => {
      await appendAll(store, 'alice@localhost', [makeItem('bob@localhost'), makeItem('bob@localhost')]);
      const result = await page(store, 'alice@localhost', { limit: 0 });
      expect(result.items).toEqual([]);
      expect(result.complete).toBe(false);
      if (result.count !== undefined) expect(result.count).toBe(2);
    });

    test('an after or before id the archive does not hold is a problem, not an empty page', async () => {
      const mine = makeItem('bob@localhost');
      const theirs = makeItem('bob@localhost');
      await Promise.all([store.append('alice@localhost', mine), store.append('dave@localhost', theirs)]);
      expect(await store.query('alice@localhost', { limit: 10, afterId: theirs.id })).toBe('unknown-after-id');
      expect(await store.query('alice@localhost', { limit: 10, beforeId: theirs.id })).toBe('unknown-before-id');
      expect(await store.query('alice@localhost', { limit: 10, fromEnd: true, beforeId: 'not-an-id' })).toBe('unknown-before-id');
      expect(await store.query('alice@localhost', { limit: 10, afterId: '' })).toBe('unknown-after-id');
      // An id of the archive is a position even when the other bounds exclude its item.
      const result = await page(store, 'alice@localhost', { limit: 10, afterId: mine.id, with: 'carol@localhost' });
      expect(result.items).toEqual([]);
      expect(result.complete).toBe(true);
    });

    test('with a bare JID matches it and its full JIDs, never another JID sharing a prefix', async () => {
      const peers = [
        'bob@example.com', 'bob@example.com/phone', 'carol@example.com', 'bob@example.com/laptop',
        'bob@example.community', 'bob@example.com.evil', 'bobby@example.com', 'example.com', 'bob@example.co',
      ];
      const items = peers.map((peer) => makeItem(peer));
      await appendAll(store, 'alice@localhost', items);
      const bare = await page(store, 'alice@localhost', { limit: 50, with: 'bob@example.com' });
      expect(bare.items.map((i) => i.with)).toEqual(['bob@example.com', 'bob@example.com/phone', 'bob@example.com/laptop']);
      expect(bare.complete).toBe(true);
      if (bare.count !== undefined) expect(bare.count).toBe(3);
      const full = await page(store, 'alice@localhost', { limit: 50, with: 'bob@example.com/phone' });
      expect(full.items.map((i) => i.with)).toEqual(['bob@example.com/phone']);
      const domain = await page(store, 'alice@localhost', { limit: 50, with: 'example.com' });
      expect(domain.items.map((i) => i.with)).toEqual(['example.com']);
      const none = await page(store, 'alice@localhost', { limit: 50, with: 'nobody@example.com' });
      expect(none.items).toEqual([]);
      expect(none.complete).toBe(true);
    });

    test('room archives: with an occupant JID matches that occupant only', async () => {
      const items = ['room@muc.localhost/alice', 'room@muc.localhost/al', 'room@muc.localhost/alice/x', 'room@muc.localhost/bob']
        .map((peer) => makeItem(peer));
      await appendAll(store, 'room@muc.localhost', items);
      const alice = await page(store, 'room@muc.localhost', { limit: 50, with: 'room@muc.localhost/alice' });
      expect(alice.items.map((i) => i.with)).toEqual(['room@muc.localhost/alice']);
      const everyone = await page(store, 'room@muc.localhost', { limit: 50, with: 'room@muc.localhost' });
      expect(everyone.items).toHaveLength(4);
    });

    test('with queries page forwards and backwards among interleaved items', async () => {
      const items = Array.from({ length: 60 }, (_, i) => makeItem(i % 3 === 0 ? `bob@localhost/r${i % 2}` : `carol${i}@localhost`));
      await appendAll(store, 'alice@localhost', items);
      const bobs = items.filter((i) => i.with.startsWith('bob@localhost/'));
      expect(bobs).toHaveLength(20);
      const forwards = await pageForwards(store, 'alice@localhost', { with: 'bob@localhost' }, 7);
      expect(forwards.map((p) => p.length)).toEqual([7, 7, 6]);
      expect(ids(forwards.flat())).toEqual(ids(bobs));
      const backwards = await pageBackwards(store, 'alice@localhost', { with: 'bob@localhost' }, 7);
      expect(ids(backwards.reverse().flat())).toEqual(ids(bobs));
      const r1 = await pageForwards(store, 'alice@localhost', { with: 'bob@localhost/r1' }, 4);
      expect(ids(r1.flat())).toEqual(ids(bobs.filter((i) => i.with === 'bob@localhost/r1')));
      // A position may be an item that the with filter excludes.
      const afterCarol = await page(store, 'alice@localhost', { limit: 2, with: 'bob@localhost', afterId: items[1]!.id });
      expect(ids(afterCarol.items)).toEqual(ids(bobs.slice(1, 3)));
      const beforeCarol = await page(store, 'alice@localhost', { limit: 2, with: 'bob@localhost', beforeId: items[59]!.id, fromEnd: true });
      expect(ids(beforeCarol.items)).toEqual(ids(bobs.slice(-2)));
    });

    test('start and end are inclusive times, alone, together and with other bounds', async () => {
      const items = Array.from({ length: 10 }, (_, i) => makeItem(i % 2 === 0 ? 'bob@localhost' : 'carol@localhost'));
      await appendAll(store, 'alice@localhost', items);
      const at = (i: number): number => items[i]!.when;
      expect(ids((await page(store, 'alice@localhost', { limit: 50, start: at(3) })).items)).toEqual(ids(items.slice(3)));
      expect(ids((await page(store, 'alice@localhost', { limit: 50, end: at(6) })).items)).toEqual(ids(items.slice(0, 7)));
      expect(ids((await page(store, 'alice@localhost', { limit: 50, start: at(3) + 1, end: at(6) - 1 })).items)).toEqual(ids(items.slice(4, 6)));
      const between = await page(store, 'alice@localhost', { limit: 2, start: at(2), end: at(7) });
      expect(ids(between.items)).toEqual(ids(items.slice(2, 4)));
      expect(between.complete).toBe(false);
      if (between.count !== undefined) expect(between.count).toBe(6);
      const newest = await page(store, 'alice@localhost', { limit: 2, start: at(2), end: at(7), fromEnd: true });
      expect(ids(newest.items)).toEqual(ids(items.slice(6, 8)));
      expect(newest.complete).toBe(false);
      const bobBetween = await page(store, 'alice@localhost', { limit: 50, start: at(1), end: at(7), with: 'bob@localhost' });
      expect(ids(bobBetween.items)).toEqual(ids([items[2]!, items[4]!, items[6]!]));
      const empty = await page(store, 'alice@localhost', { limit: 50, start: at(9) + 1 });
      expect(empty.items).toEqual([]);
      expect(empty.complete).toBe(true);
      const reversed = await page(store, 'alice@localhost', { limit: 50, start: at(7), end: at(2) });
      expect(reversed.items).toEqual([]);
    });

    test('ids picks those items, in id order, within the other bounds; unknown ids are left out', async () => {
      const items = Array.from({ length: 8 }, (_, i) => makeItem(i < 4 ? 'bob@localhost' : 'carol@localhost'));
      await appendAll(store, 'alice@localhost', items);
      const picked = await page(store, 'alice@localhost', { limit: 50, ids: [items[6]!.id, items[1]!.id, makeItem('x@l').id, items[4]!.id] });
      expect(ids(picked.items)).toEqual(ids([items[1]!, items[4]!, items[6]!]));
      expect(picked.complete).toBe(true);
      const withCarol = await page(store, 'alice@localhost', { limit: 50, ids: [items[1]!.id, items[6]!.id], with: 'carol@localhost' });
      expect(ids(withCarol.items)).toEqual([items[6]!.id]);
      const limited = await page(store, 'alice@localhost', { limit: 1, ids: [items[1]!.id, items[6]!.id] });
      expect(ids(limited.items)).toEqual([items[1]!.id]);
      expect(limited.complete).toBe(false);
      const none = await page(store, 'alice@localhost', { limit: 50, ids: [] });
      expect(none.items).toEqual([]);
      const elsewhere = await page(store, 'dave@localhost', { limit: 50, ids: [items[1]!.id] });
      expect(elsewhere.items).toEqual([]);
    });

    test('replace changes the stanza only, and only of an item the archive holds', async () => {
      const items = [makeItem('bob@localhost/phone'), makeItem('carol@localhost')];
      await appendAll(store, 'alice@localhost', items);
      expect(await store.replace('alice@localhost', items[0]!.id, '<message><retracted/></message>')).toBe(true);
      const replaced = { ...items[0]!, stanza: '<message><retracted/></message>' };
      expect(await store.get('alice@localhost', items[0]!.id)).toEqual(replaced);
      expect((await page(store, 'alice@localhost', { limit: 10 })).items).toEqual([replaced, items[1]]);
      expect((await page(store, 'alice@localhost', { limit: 10, with: 'bob@localhost' })).items).toEqual([replaced]);
      expect(await store.replace('alice@localhost', makeItem('x@l').id, 'nothing')).toBe(false);
      expect(await store.replace('dave@localhost', items[1]!.id, 'nothing')).toBe(false);
      expect(await store.get('alice@localhost', items[1]!.id)).toEqual(items[1]);
    });

    test('deleteArchive forgets one archive whole and leaves the others', async () => {
      const mine = [makeItem('bob@localhost'), makeItem('bob@localhost/x')];
      const theirs = [makeItem('bob@localhost')];
      await appendAll(store, 'alice@localhost', mine);
      await appendAll(store, 'alice@localhost.evil', theirs);
      await store.deleteArchive('alice@localhost');
      await store.deleteArchive('never@localhost');
      const gone = await page(store, 'alice@localhost', { limit: 10 });
      expect(gone.items).toEqual([]);
      expect(gone.complete).toBe(true);
      expect((await page(store, 'alice@localhost', { limit: 10, with: 'bob@localhost' })).items).toEqual([]);
      expect(await store.get('alice@localhost', mine[0]!.id)).toBeUndefined();
      expect(await store.query('alice@localhost', { limit: 10, afterId: mine[0]!.id })).toBe('unknown-after-id');
      expect((await page(store, 'alice@localhost.evil', { limit: 10 })).items).toEqual(theirs);
      // The archive starts again empty.
      const again = makeItem('bob@localhost');
      await store.append('alice@localhost', again);
      expect((await page(store, 'alice@localhost', { limit: 10, with: 'bob@localhost' })).items).toEqual([again]);
    });

    test('deleteOlderThan forgets older items in every archive, keeps those at the cut-off and later', async () => {
      const old = [makeItem('bob@localhost'), makeItem('carol@localhost')];
      const oldRoom = makeItem('room@muc/bob');
      const cutoff = makeItem('bob@localhost');
      const newer = makeItem('bob@localhost/x');
      await appendAll(store, 'alice@localhost', [...old, cutoff, newer]);
      await store.append('room@muc', oldRoom);
      expect(await store.deleteOlderThan(cutoff.when)).toBe(3);
      expect((await page(store, 'alice@localhost', { limit: 10 })).items).toEqual([cutoff, newer]);
      expect((await page(store, 'alice@localhost', { limit: 10, with: 'bob@localhost' })).items).toEqual([cutoff, newer]);
      expect((await page(store, 'alice@localhost', { limit: 10, with: 'carol@localhost' })).items).toEqual([]);
      expect((await page(store, 'room@muc', { limit: 10 })).items).toEqual([]);
      expect(await store.get('alice@localhost', old[0]!.id)).toBeUndefined();
      expect(await store.query('alice@localhost', { limit: 10, afterId: old[0]!.id })).toBe('unknown-after-id');
      expect(await store.deleteOlderThan(cutoff.when)).toBe(0);
      expect(await store.deleteOlderThan(newer.when + 1)).toBe(2);
      expect((await page(store, 'alice@localhost', { limit: 10 })).items).toEqual([]);
    });

    test('deleteOlderThan removes many items across many archives', async () => {
      const archives = Array.from({ length: 5 }, (_, i) => `user${i}@localhost`);
      const all: Array<[string, ArchivedItem]> = [];
      for (let i = 0; i < 1_500; i++) all.push([archives[i % 5]!, makeItem(`peer${i % 11}@localhost`, `s${i}`, 1)]);
      await Promise.all(all.map(([archive, item]) => store.append(archive, item)));
      const cut = all[1_000]![1].when;
      expect(await store.deleteOlderThan(cut)).toBe(1_000);
      for (const archive of archives) {
        const kept = all.filter(([a, item]) => a === archive && item.when >= cut).map(([, item]) => item);
        expect(ids((await pageForwards(store, archive, {}, 250)).flat())).toEqual(ids(kept));
      }
    });

    test('many archives stay apart, whatever their names share', async () => {
      const archives = ['a@localhost', 'a@localhost.org', 'a@localhost/x', 'ab@localhost', 'room@muc.localhost', '\u00e9l\u00e8ve@localhost', 'a'];
      const expected = new Map<string, ArchivedItem[]>(archives.map((a) => [a, []]));
      const appends: Array<Promise<void>> = [];
      for (let i = 0; i < 70; i++) {
        const archive = archives[(i * 3) % archives.length]!;
        const item = makeItem(i % 2 === 0 ? 'bob@localhost' : 'a@localhost');
        expected.get(archive)!.push(item);
        appends.push(store.append(archive, item));
      }
      await Promise.all(appends);
      for (const archive of archives) {
        const items = expected.get(archive)!;
        expect((await page(store, archive, { limit: 100 })).items).toEqual(items);
        expect(ids((await page(store, archive, { limit: 100, with: 'bob@localhost' })).items)).toEqual(ids(items.filter((i) => i.with === 'bob@localhost')));
        expect(ids((await page(store, archive, { limit: 3, fromEnd: true })).items)).toEqual(ids(items.slice(-3)));
      }
      const other = expected.get('a@localhost.org')![0]!;
      expect(await store.get('a@localhost', other.id)).toBeUndefined();
    });
  });
}

