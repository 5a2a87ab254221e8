/**
 * Measures the PostgreSQL storage driver's archives (server/storage/postgres/) through the real
 * driver, on a throwaway durable cluster (fsync on, Debian's postgresql): appends one at a time
 * and 400 in flight (each resolved append is committed), pages of 50 from an archive of
 * 1,000,000 items (100 archives of 10,000) forwards, backwards, with `with` and after an id,
 * and disk bytes per item (pg_total_relation_size: table, TOAST and indexes). The workload is
 * bench/storage-engines.ts's: 300-byte stanzas, 20 peers, half of them full JIDs.
 *
 * Run: node node_modules/jiti/lib/jiti-cli.mjs bench/postgres-archive.ts [--items N] [--pool N]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createPostgresDriver, newArchiveId, type ArchivedItem, type ArchiveQuery } from '../server/storage/index.js';
import { startPostgresCluster } from '../test/helpers/postgres-cluster.js';

const { values: args } = parseArgs({ options: { items: { type: 'string', default: '1000000' }, pool: { type: 'string', default: '10' } } });
const TOTAL = Number(args.items);
const ARCHIVES = 100;
const PEERS = 20;
const filler = 'The quick brown fox jumps over the lazy dog while the archive grows. ';

function makeItem(n: number, when: number): ArchivedItem & { archive: string } {
  const archive = `user${n % ARCHIVES}@localhost`;
  const peer = `peer${(Math.floor(n / ARCHIVES) * 7) % PEERS}@example.org`;
  const full = n % 2 === 0 ? `${peer}/phone` : peer;
  const head = `<message xmlns="jabber:client" from="${full}" to="${archive}" type="chat" id="m${n}"><body>`;
  const tail = `</body><origin-id xmlns="urn:xmpp:sid:0" id="o${n}"/></message>`;
  const body = filler.repeat(5).slice(0, Math.max(0, 300 - head.length - tail.length));
  return { archive, id: newArchiveId(when), when, with: full, stanza: head + body + tail };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}
const round = (n: number): number => Math.round(n * 100) / 100;

const started = performance.now();
const cluster = await startPostgresCluster({ durable: true });
console.log(`cluster start (initdb + pg_ctl start + createdb): ${cluster.startMs} ms`);
const settings = { driver: 'PostgreSQL' as const, url: cluster.url, pool_size: Number(args.pool) };
const driver = createPostgresDriver(settings);
const raw = new pg.Client({ connectionString: cluster.url });
try {
  await raw.connect();
  const writes = driver.openArchive('bench.localhost', 'archive');
  let n = 0;
  const now = Date.now();
  await writes.append('warm@localhost', makeItem(n++, now)); // connect and migrate

  const sequential = 2_000;
  let t = performance.now();
  for (let i = 0; i < sequential; i++) await writes.append('seq@localhost', makeItem(n++, now));
  console.log(`appends one at a time: ${Math.round(sequential / ((performance.now() - t) / 1000))}/s (${round((performance.now() - t) / sequential)} ms each)`);

  const concurrent = 40_000;
  let next = 0;
  t = performance.now();
  await Promise.all(Array.from({ length: 400 }, async () => {
    while (next < concurrent) {
      next++;
      const item = makeItem(n++, now);
      await writes.append(item.archive.replace('@', '-c@'), item);
    }
  }));
  console.log(`appends 400 in flight (pool ${settings.pool_size}): ${Math.round(concurrent / ((performance.now() - t) / 1000))}/s`);

  // The 1,000,000-item archive, made by PostgreSQL itself in bulk (not per-item commits): the
  // same items as makeItem, with ids of the same length that sort in the same order.
  t = performance.now();
  const base = Date.now() - TOTAL;
  for (let from = 0; from < TOTAL; from += 100_000) {
    await raw.query(
      `INSERT INTO salon_archive (host, store, archive, id, "when", "with", stanza)
        SELECT 'load.localhost', 'archive', archive, lpad(to_hex(n), 22, '0'), $3 + n, jid,
          head || left(repeat($4, 5), greatest(0, 300 - length(head) - length(tail))) || tail
        FROM (SELECT n, archive, jid,
            format('<message xmlns="jabber:client" from="%s" to="%s" type="chat" id="m%s"><body>', jid, archive, n) AS head,
            format('</body><origin-id xmlns="urn:xmpp:sid:0" id="o%s"/></message>', n) AS tail
          FROM (SELECT n, format('user%s@localhost', n % ${ARCHIVES}) AS archive,
              format('peer%s@example.org', ((n / ${ARCHIVES}) * 7) % ${PEERS}) || CASE WHEN n % 2 = 0 THEN '/phone' ELSE '' END AS jid
            FROM generate_series($1::bigint, $2::bigint) AS n) g) h`,
      [from, Math.min(TOTAL, from + 100_000) - 1, base, filler],
    );
  }
  await raw.query('VACUUM ANALYZE salon_archive');
  console.log(`bulk load of ${TOTAL} items: ${Math.round(performance.now() - t)} ms`);

  const loaded = driver.openArchive('load.localhost', 'archive');
  const ids = await raw.query<{ archive: string; id: string }>(
    "SELECT archive, id FROM salon_archive WHERE host = 'load.localhost' AND store = 'archive' ORDER BY random() LIMIT 500");
  const kinds: Array<[string, (i: number) => [string, ArchiveQuery]]> = [
    ['first page forwards', (i) => [`user${i % ARCHIVES}@localhost`, { limit: 50 }]],
    ['last page (RSM <before/>)', (i) => [`user${i % ARCHIVES}@localhost`, { limit: 50, fromEnd: true }]],
    ['with a bare JID, newest', (i) => [`user${i % ARCHIVES}@localhost`, { limit: 50, fromEnd: true, with: `peer${(i * 7) % PEERS}@example.org` }]],
    // A client catching up after a reconnection: the 20 newest of 10,000 items (made 1 ms apart).
    ['catch-up, start = 20 items ago', (i) => [`user${i % ARCHIVES}@localhost`, { limit: 50, start: base + TOTAL - 20 * ARCHIVES }]],
    ['after a random id', (i) => { const row = ids.rows[i % ids.rows.length]!; return [row.archive, { limit: 50, afterId: row.id }]; }],
  ];
  for (const [name, make] of kinds) {
    const times: number[] = [];
    let returned = 0;
    for (let i = 0; i < 500; i++) {
      const [archive, query] = make(i);
      const q0 = performance.now();
      const page = await loaded.query(archive, query);
      times.push(performance.now() - q0);
      if (typeof page === 'string') throw new Error(`${name}: ${page}`);
      returned += page.items.length;
    }
    times.sort((a, b) => a - b);
    console.log(`page of 50, ${name}: p50 ${round(percentile(times, 50))} ms, p99 ${round(percentile(times, 99))} ms (${round(returned / 500)} items a page, count included)`);
  }

  // The same first page without the count, to show what the count costs.
  const bare: number[] = [];
  for (let i = 0; i < 500; i++) {
    const q0 = performance.now();
    await raw.query(`SELECT id, "when", "with", stanza FROM salon_archive WHERE host = 'load.localhost' AND store = 'archive'
      AND archive = $1 ORDER BY id LIMIT 51`, [`user${i % ARCHIVES}@localhost`]);
    bare.push(performance.now() - q0);
  }
  bare.sort((a, b) => a - b);
  console.log(`page of 51 rows without the count (raw SQL): p50 ${round(percentile(bare, 50))} ms, p99 ${round(percentile(bare, 99))} ms`);

  const size = await raw.query<{ bytes: string; rows: string; table: string; indexes: string }>(
    `SELECT pg_total_relation_size('salon_archive') AS bytes, pg_table_size('salon_archive') AS table,
      pg_indexes_size('salon_archive') AS indexes, (SELECT count(*) FROM salon_archive) AS rows`);
  const s = size.rows[0]!;
  console.log(`disk: ${Math.round(Number(s.bytes) / Number(s.rows))} bytes per item (table ${Math.round(Number(s.table) / Number(s.rows))}, indexes ${Math.round(Number(s.indexes) / Number(s.rows))}) over ${s.rows} items of 300-byte stanzas`);
} finally {
  await raw.end().catch(() => undefined);
  await driver.close();
  await cluster.stop();
  console.log(`total ${Math.round((performance.now() - started) / 1000)} s`);
}
