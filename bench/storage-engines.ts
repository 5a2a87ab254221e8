/**
 * Measures the embedded engines that could hold the message archive (lmdb, classic-level,
 * @electric-sql/pglite) on the same workload: durable appends one at a time and 400 in flight,
 * the event loop's worst delay under load, pages of 50 from an archive of 1,000,000 items (100
 * archives of 10,000) forwards, backwards and with `with`, disk bytes per item, open time and RSS.
 * Each engine runs in a child process of its own so that memory and the event loop are its alone.
 * Each uses the same layout: items by (archive, id), and an index by (archive, bare with, id).
 * `internal` is Salon's driver on the chosen engine, measured through the `ArchiveStore` interface.
 *
 * Run: node node_modules/jiti/lib/jiti-cli.mjs bench/storage-engines.ts [--items N] [--engines a,b]
 *      [--modules DIR]   (DIR: where the candidates are installed, default this checkout)
 * A candidate that is not installed is skipped, with a line saying so.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { newArchiveId } from '../server/storage/archive-id.js';

interface Item { archive: string; id: string; when: number; with: string; bare: string; stanza: string }
interface PageQuery { archive: string; bare?: string; fromEnd: boolean; afterId?: string; beforeId?: string; limit: number }

/** What each candidate offers the benchmark; `append` resolves once the item is durable. */
interface Engine {
  append(item: Item): Promise<void>;
  /** Bulk load, not durable per item (setting up the 1,000,000-item archive). */
  load(items: Item[]): Promise<void>;
  page(query: PageQuery): Promise<Item[]>;
  close(): Promise<void>;
}
type Opener = (directory: string, load: (name: string) => Promise<unknown>) => Promise<Engine>;

const SEP = '\u0000';

/** The parts of the candidates' APIs used here (classic-level and pglite need not be installed). */
type LmdbKey = string[];
interface LevelLike {
  open(): Promise<void>;
  batch(ops: object[], options?: { sync?: boolean }): Promise<void>;
  iterator(range: object): { all(): Promise<Array<[string, string]>> };
  getMany(keys: string[]): Promise<Array<string | undefined>>;
  close(): Promise<void>;
}
interface PgliteLike {
  exec(sql: string): Promise<unknown>;
  query(sql: string, params: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
  close(): Promise<void>;
}
const bareOf = (jid: string): string => { const slash = jid.indexOf('/'); return slash < 0 ? jid : jid.slice(0, slash); };

/** Gathers appends made while a commit runs into the next commit (group commit). */
function groupCommit(commit: (items: Item[]) => Promise<void>): (item: Item) => Promise<void> {
  let pending: Array<{ item: Item; done: () => void; failed: (e: unknown) => void }> = [];
  let running = false;
  const run = async (): Promise<void> => {
    running = true;
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      try {
        await commit(batch.map((p) => p.item));
        for (const p of batch) p.done();
      } catch (error) {
        for (const p of batch) p.failed(error);
      }
    }
    running = false;
  };
  return (item) => new Promise<void>((done, failed) => {
    pending.push({ item, done, failed });
    if (!running) setImmediate(() => void run());
  });
}

const encodeValue = (i: Item): string => `${i.when}\t${i.with}\t${i.stanza}`;
function decodeValue(archive: string, id: string, value: string): Item {
  const a = value.indexOf('\t');
  const b = value.indexOf('\t', a + 1);
  const w = value.slice(a + 1, b);
  return { archive, id, when: Number(value.slice(0, a)), with: w, bare: bareOf(w), stanza: value.slice(b + 1) };
}

const openLmdb = (overlappingSync: boolean): Opener => async (directory, load) => {
  const lmdb = (await load('lmdb')) as typeof import('lmdb');
  const db = lmdb.open<string, LmdbKey>({ path: join(directory, 'archive.lmdb'), encoding: 'string', compression: false, overlappingSync });
  const index = db.openDB<string, LmdbKey>('with', { encoding: 'string' });
  const put = (i: Item): void => {
    db.put([i.archive, i.id], encodeValue(i));
    index.put([i.archive, i.bare, i.id], i.with === i.bare ? '' : i.with);
  };
  return {
    async append(item) {
      // Every put of this turn goes into one transaction on lmdb's write thread.
      const committed = db.put([item.archive, item.id], encodeValue(item));
      index.put([item.archive, item.bare, item.id], item.with === item.bare ? '' : item.with);
      await committed;
      await db.flushed; // resolves once that transaction is synced to disk
    },
    async load(items) {
      await db.transaction(() => { for (const i of items) put(i); });
    },
    async page(q) {
      const out: Item[] = [];
      if (q.bare === undefined) {
        const low = [q.archive, q.afterId ?? ''];
        const high = [q.archive, q.beforeId ?? '\uffff'];
        const range = db.getRange(q.fromEnd ? { start: high, end: low, reverse: true, limit: q.limit } : { start: low, end: high, limit: q.limit });
        for (const { key, value } of range) {
          const id = key[1]!;
          if (id !== q.afterId && id !== q.beforeId) out.push(decodeValue(q.archive, id, value));
        }
      } else {
        const low = [q.archive, q.bare, q.afterId ?? ''];
        const high = [q.archive, q.bare, q.beforeId ?? '\uffff'];
        const range = index.getRange(q.fromEnd ? { start: high, end: low, reverse: true, limit: q.limit } : { start: low, end: high, limit: q.limit });
        for (const { key } of range) {
          const id = key[2]!;
          if (id === q.afterId || id === q.beforeId) continue;
          out.push(decodeValue(q.archive, id, db.get([q.archive, id])!));
        }
      }
      return q.fromEnd ? out.reverse() : out;
    },
    async close() { await db.close(); },
  };
};

const openClassicLevel: Opener = async (directory, load) => {
  const { ClassicLevel } = (await load('classic-level')) as { ClassicLevel: new (path: string, o: object) => LevelLike };
  const db = new ClassicLevel(join(directory, 'archive.level'), { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  await db.open();
  const ops = (i: Item): object[] => [
    { type: 'put', key: `i${i.archive}${SEP}${i.id}`, value: encodeValue(i) },
    { type: 'put', key: `w${i.archive}${SEP}${i.bare}${SEP}${i.id}`, value: i.with },
  ];
  const append = groupCommit((items) => db.batch(items.flatMap(ops), { sync: true }));
  return {
    append,
    async load(items) { await db.batch(items.flatMap(ops)); },
    async page(q) {
      const prefix = q.bare === undefined ? `i${q.archive}${SEP}` : `w${q.archive}${SEP}${q.bare}${SEP}`;
      const range = { gt: prefix + (q.afterId ?? ''), lt: prefix + (q.beforeId ?? '\uffff'), reverse: q.fromEnd, limit: q.limit };
      const entries = await db.iterator(range).all();
      const idsFound = entries.map(([key]) => key.slice(prefix.length));
      const values = q.bare === undefined ? entries.map(([, v]) => v) : await db.getMany(idsFound.map((id) => `i${q.archive}${SEP}${id}`));
      const out = idsFound.map((id, n) => decodeValue(q.archive, id, values[n]!));
      return q.fromEnd ? out.reverse() : out;
    },
    async close() { await db.close(); },
  };
};

const openPglite: Opener = async (directory, load) => {
  const { PGlite } = (await load('@electric-sql/pglite')) as { PGlite: { create(dir: string): Promise<PgliteLike> } };
  const pg = await PGlite.create(join(directory, 'archive.pglite'));
  await pg.exec(`CREATE TABLE IF NOT EXISTS item (archive text, id text, "when" bigint, "with" text, bare text, stanza text, PRIMARY KEY (archive, id));
    CREATE INDEX IF NOT EXISTS item_with ON item (archive, bare, id);`);
  const insert = async (items: Item[]): Promise<void> => {
    const params: unknown[] = [];
    const rows = items.map((i, n) => {
      params.push(i.archive, i.id, i.when, i.with, i.bare, i.stanza);
      return `($${n * 6 + 1},$${n * 6 + 2},$${n * 6 + 3},$${n * 6 + 4},$${n * 6 + 5},$${n * 6 + 6})`;
    });
    await pg.query(`INSERT INTO item VALUES ${rows.join(',')}`, params);
  };
  return {
    append: groupCommit(async (items) => { for (let at = 0; at < items.length; at += 1000) await insert(items.slice(at, at + 1000)); }),
    async load(items) { for (let at = 0; at < items.length; at += 1000) await insert(items.slice(at, at + 1000)); },
    async page(q) {
      const where = ['archive = $1'];
      const params: unknown[] = [q.archive];
      if (q.bare !== undefined) { params.push(q.bare); where.push(`bare = $${params.length}`); }
      if (q.afterId !== undefined) { params.push(q.afterId); where.push(`id > $${params.length}`); }
      if (q.beforeId !== undefined) { params.push(q.beforeId); where.push(`id < $${params.length}`); }
      const order = q.fromEnd ? 'DESC' : 'ASC';
      const result = await pg.query(`SELECT archive, id, "when", "with", bare, stanza FROM item WHERE ${where.join(' AND ')} ORDER BY id ${order} LIMIT ${q.limit}`, params);
      const out = (result.rows as unknown as Item[]).map((r) => ({ ...r, when: Number(r.when) }));
      return q.fromEnd ? out.reverse() : out;
    },
    async close() { await pg.close(); },
  };
};

/** Salon's own driver on the chosen engine (`internal`: lmdb-archive-store.ts), through `ArchiveStore`. */
const openInternal: Opener = async (directory) => {
  const { createJsonFileDriver } = await import('../server/storage/json-file-driver.js');
  const driver = createJsonFileDriver(directory);
  const store = driver.openArchive('localhost', 'archive');
  const append = (i: Item): Promise<void> => store.append(i.archive, { id: i.id, when: i.when, with: i.with, stanza: i.stanza });
  return {
    append,
    async load(items) { await Promise.all(items.map(append)); },
    async page(q) {
      const page = await store.query(q.archive, {
        limit: q.limit, fromEnd: q.fromEnd,
        ...(q.bare === undefined ? {} : { with: q.bare }),
        ...(q.afterId === undefined || q.afterId === '' ? {} : { afterId: q.afterId }),
        ...(q.beforeId === undefined ? {} : { beforeId: q.beforeId }),
      });
      if (typeof page === 'string') throw new Error(page);
      return page.items.map((i) => ({ ...i, archive: q.archive, bare: i.with.split('/')[0]! }));
    },
    async close() { await driver.close(); },
  };
};

const ENGINES: Record<string, Opener> = { internal: openInternal, lmdb: openLmdb(true), 'lmdb-sync-commit': openLmdb(false), 'classic-level': openClassicLevel, pglite: openPglite };
const PACKAGES: Record<string, string> = { internal: 'lmdb', lmdb: 'lmdb', 'lmdb-sync-commit': 'lmdb', 'classic-level': 'classic-level', pglite: '@electric-sql/pglite' };

// ---- the workload ----

const ARCHIVES = 100;
const PEERS = 20;
const filler = 'The quick brown fox jumps over the lazy dog while the archive grows. ';

function makeItem(n: number, when: number): Item {
  const archive = `user${n % ARCHIVES}@localhost`;
  const peer = `peer${(Math.floor(n / ARCHIVES) * 7) % PEERS}@example.org`;
  const full = n % 2 === 0 ? `${peer}/phone` : peer;
  const id = newArchiveId(when);
  const head = `<message xmlns="jabber:client" from="${full}" to="${archive}" type="chat" id="m${n}"><body>`;
  const tail = `</body><origin-id xmlns="urn:xmpp:sid:0" id="o${n}"/></message>`;
  const body = filler.repeat(5).slice(0, Math.max(0, 300 - head.length - tail.length));
  return { archive, id, when, with: full, bare: peer, stanza: head + body + tail };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}
const round2 = (n: number): number => Math.round(n * 100) / 100;

async function directoryBytes(path: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(path, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).blocks * 512;
  }
  return total;
}

/**
 * Runs `work` while a 1 ms timer watches the event loop; returns the longest time the loop could
 * not run it (ms). A timer rather than `monitorEventLoopDelay` alone, since a histogram records
 * nothing while synchronous work never lets the loop turn at all.
 */
async function worstLoopDelay<T>(work: () => Promise<T>): Promise<{ result: T; maxDelayMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 1);
    last = now;
  }, 1);
  const result = await work();
  clearInterval(timer);
  worst = Math.max(worst, performance.now() - last - 1);
  histogram.disable();
  return { result, maxDelayMs: round2(Math.max(worst, histogram.count > 0 ? histogram.max / 1e6 : 0)) };
}

async function measureEngine(name: string, modules: string, total: number): Promise<Record<string, unknown>> {
  const requireFrom = createRequire(join(modules, 'package.json'));
  const load = async (pkg: string): Promise<unknown> => import(pathToFileURL(requireFrom.resolve(pkg)).href);
  const directory = await mkdtemp(join(tmpdir(), `salon-engine-${name}-`));
  const out: Record<string, unknown> = { engine: name };
  try {
    let t = performance.now();
    let engine = await ENGINES[name]!(directory, load);
    out.openEmptyMs = round2(performance.now() - t);

    // 1. Durable appends one at a time, each awaited.
    let clock = Date.now() - total - 1_000_000;
    const latencies: number[] = [];
    const sequential = 1_000;
    const single = await worstLoopDelay(async () => {
      const began = performance.now();
      for (let n = 0; n < sequential; n++) {
        const s = performance.now();
        await engine.append(makeItem(n, clock++));
        latencies.push(performance.now() - s);
      }
      return performance.now() - began;
    });
    latencies.sort((a, b) => a - b);
    Object.assign(out, { sequentialPerS: Math.round(sequential / (single.result / 1000)), sequentialP50Ms: round2(percentile(latencies, 50)), sequentialP99Ms: round2(percentile(latencies, 99)), sequentialMaxLoopDelayMs: single.maxDelayMs });

    // 2. Durable appends, 400 in flight.
    const concurrentTotal = 20_000;
    const inFlight: number[] = [];
    let next = 0;
    const concurrent = await worstLoopDelay(async () => {
      const began = performance.now();
      const worker = async (): Promise<void> => {
        while (next < concurrentTotal) {
          const n = next++;
          const s = performance.now();
          await engine.append(makeItem(sequential + n, clock++));
          inFlight.push(performance.now() - s);
        }
      };
      await Promise.all(Array.from({ length: 400 }, worker));
      return performance.now() - began;
    });
    inFlight.sort((a, b) => a - b);
    Object.assign(out, { concurrentPerS: Math.round(concurrentTotal / (concurrent.result / 1000)), concurrentP50Ms: round2(percentile(inFlight, 50)), concurrentP99Ms: round2(percentile(inFlight, 99)), concurrentMaxLoopDelayMs: concurrent.maxDelayMs });

    // 3. The big archive: `total` items over 100 archives, loaded in batches.
    t = performance.now();
    const firstLoaded = sequential + concurrentTotal;
    for (let at = 0; at < total - firstLoaded; at += 10_000) {
      const batch: Item[] = [];
      for (let n = at; n < Math.min(at + 10_000, total - firstLoaded); n++) batch.push(makeItem(firstLoaded + n, clock++));
      await engine.load(batch);
    }
    out.loadS = round2((performance.now() - t) / 1000);
    await engine.close();
    out.diskBytesPerItem = Math.round((await directoryBytes(directory)) / total);

    // 4. Startup on the full archive, then pages.
    t = performance.now();
    engine = await ENGINES[name]!(directory, load);
    const first = await engine.page({ archive: 'user0@localhost', fromEnd: true, limit: 50 });
    out.openFullMs = round2(performance.now() - t);
    if (first.length !== 50) throw new Error(`${name}: expected 50 items, got ${first.length}`);
    const kinds: Record<string, (archive: string, pivot: string) => PageQuery> = {
      latest: (archive) => ({ archive, fromEnd: true, limit: 50 }),
      backwardsFrom: (archive, pivot) => ({ archive, fromEnd: true, beforeId: pivot, limit: 50 }),
      forwardsFrom: (archive, pivot) => ({ archive, fromEnd: false, afterId: pivot, limit: 50 }),
      withLatest: (archive) => ({ archive, bare: 'peer3@example.org', fromEnd: true, limit: 50 }),
      withBackwardsFrom: (archive, pivot) => ({ archive, bare: 'peer3@example.org', fromEnd: true, beforeId: pivot, limit: 50 }),
    };
    // Positions to page from in each archive: ids of its oldest and of its newest page.
    const pivots = new Map<string, { oldest: string[]; newest: string[] }>();
    for (let a = 0; a < ARCHIVES; a++) {
      const archive = `user${a}@localhost`;
      const oldest = await engine.page({ archive, fromEnd: false, limit: 50, afterId: '' });
      const newest = await engine.page({ archive, fromEnd: true, limit: 50 });
      pivots.set(archive, { oldest: oldest.map((i) => i.id), newest: newest.map((i) => i.id) });
    }
    for (const [kind, make] of Object.entries(kinds)) {
      const times: number[] = [];
      const measured = await worstLoopDelay(async () => {
        for (let q = 0; q < 2_000; q++) {
          const archive = `user${(q * 37) % ARCHIVES}@localhost`;
          const { oldest, newest } = pivots.get(archive)!;
          const pivot = q % 2 === 0 ? oldest[49]! : newest[q % 49]!;
          // Queries come from separate requests: let the loop turn between them, as a server does.
          await new Promise((turn) => setImmediate(turn));
          const s = performance.now();
          const items = await engine.page(make(archive, pivot));
          times.push(performance.now() - s);
          if (items.length === 0 && kind !== 'backwardsFrom' && kind !== 'withBackwardsFrom') throw new Error(`${name} ${kind}: empty page`);
        }
      });
      times.sort((a, b) => a - b);
      out[`${kind}P50Ms`] = round2(percentile(times, 50));
      out[`${kind}P99Ms`] = round2(percentile(times, 99));
      out[`${kind}MaxLoopDelayMs`] = measured.maxDelayMs;
    }
    out.rssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
    await engine.close();
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { items: { type: 'string' }, engines: { type: 'string' }, modules: { type: 'string' }, child: { type: 'string' } } });
  const total = Number(values.items ?? 1_000_000);
  const modules = resolve(values.modules ?? '.');
  if (values.child !== undefined) {
    process.stdout.write(JSON.stringify(await measureEngine(values.child, modules, total)) + '\n');
    return;
  }
  const requireFrom = createRequire(join(modules, 'package.json'));
  for (const name of (values.engines ?? Object.keys(ENGINES).join(',')).split(',')) {
    try {
      requireFrom.resolve(PACKAGES[name]!);
    } catch {
      process.stdout.write(JSON.stringify({ engine: name, skipped: `${PACKAGES[name]} is not installed in ${modules}` }) + '\n');
      continue;
    }
    const jiti = fileURLToPath(new URL('../node_modules/jiti/lib/jiti-cli.mjs', import.meta.url));
    const child = spawn(process.execPath, [jiti, fileURLToPath(import.meta.url), '--child', name, '--items', String(total), '--modules', modules], { stdio: ['ignore', 'inherit', 'inherit'] });
    await new Promise((done) => child.on('close', done));
  }
}

await main();
