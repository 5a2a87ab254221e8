/**
 * A large user archive for the `mam-page` scenario: 1,000,000 archived messages, 10,000 in each of
 * the archives of `user1000..user1099`, written once into a copy of the prepared data (so the other
 * scenarios keep their small data) and reused by later runs (a marker file says it is complete).
 *
 * Filling through the protocol would take hours on every server, so each is filled the fastest way
 * that leaves exactly what its own archiving would have written:
 * - Salon: its storage driver (`createStorageDriver` with the server's default setting, the store
 *   `archive` of the host), one `append` per item, a hundred archives at a time, in time order;
 * - Prosody: mod_storage_sql's own tables (the DDL it runs on SQLite), then every row inserted by
 *   the `sqlite3` shell in one transaction, as mod_mam's `archive:append` would write it
 *   (`type` "xml", the stanza as Prosody serialises it, `when` in seconds, a UUID `key`).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { access, cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { BENCH_DOMAIN, benchUsername } from './bench-protocol.js';

/** The first account with a large archive, and how many there are. */
export const ARCHIVE_FIRST_USER = 1000;
export const ARCHIVE_USERS = 100;
export const ARCHIVE_ITEMS_PER_USER = 10_000;
/** Each archive talks with this many peers among the other archive users. */
const PEERS = 5;
const MARKER = 'mam-1m.complete';
const BODY = 'Hello! This is a benchmark chat message of a typical length, about eighty bytes.';

interface PrefillItem {
  /** The archive owner's local part. */
  owner: string;
  /** The peer's bare JID. */
  peer: string;
  outgoing: boolean;
  /** Milliseconds since the epoch. */
  when: number;
  sequence: number;
}

/** Every item in time order: round after round, one item per archive. */
function* prefillItems(): Generator<PrefillItem> {
  const total = ARCHIVE_USERS * ARCHIVE_ITEMS_PER_USER;
  // Spread over the last ~14 hours at 50 ms apart: recent enough for any default retention.
  const firstMs = Date.now() - total * 50;
  let sequence = 0;
  for (let round = 0; round < ARCHIVE_ITEMS_PER_USER; round++) {
    for (let u = 0; u < ARCHIVE_USERS; u++) {
      const peerIndex = ARCHIVE_FIRST_USER + ((u + 1 + (round % PEERS)) % ARCHIVE_USERS);
      yield {
        owner: benchUsername(ARCHIVE_FIRST_USER + u), peer: `${benchUsername(peerIndex)}@${BENCH_DOMAIN}`, outgoing: round % 2 === 0,
        when: firstMs + sequence * 50, sequence,
      };
      sequence++;
    }
  }
}

function stanzaOf(item: PrefillItem, quote: "'" | '"'): string {
  const own = `${item.owner}@${BENCH_DOMAIN}`;
  const [from, to] = item.outgoing ? [`${own}/bench`, item.peer] : [`${item.peer}/bench`, own];
  const q = quote;
  return `<message xmlns=${q}jabber:client${q} from=${q}${from}${q} to=${q}${to}${q} type=${q}chat${q} id=${q}p${item.sequence}${q}><body>${BODY}</body></message>`;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

/** Salon: the prepared data directory copied next to it and filled; returns the copy's path. */
export async function prefillSalonArchive(data: string): Promise<{ data: string; seconds: number | undefined }> {
  const target = `${data}-mam-1m`;
  if (await exists(join(target, MARKER))) return { data: target, seconds: undefined };
  const startedAt = performance.now();
  await cp(data, target, { recursive: true, force: true });
  // The driver and id generator of the server itself (source through jiti, like run-flags.ts's imports).
  const { createStorageDriver } = await import('../../server/storage/index.js');
  const { newArchiveId } = await import('../../server/storage/archive-id.js');
  const driver = createStorageDriver(undefined, target);
  if (!driver.ok) throw new Error(driver.error);
  const archive = driver.value.openArchive(BENCH_DOMAIN, 'archive');
  let batch: Promise<void>[] = [];
  for (const item of prefillItems()) {
    batch.push(archive.append(`${item.owner}@${BENCH_DOMAIN}`, { id: newArchiveId(item.when), when: item.when, with: item.peer, stanza: stanzaOf(item, "'") }));
    if (batch.length === ARCHIVE_USERS) {
      await Promise.all(batch);
      batch = [];
    }
  }
  await Promise.all(batch);
  await driver.value.flush();
  await driver.value.close();
  await writeFile(join(target, MARKER), `${new Date().toISOString()}\n`);
  return { data: target, seconds: (performance.now() - startedAt) / 1000 };
}

/**
 * mod_storage_sql's tables as it creates them on SQLite when it first connects (util/sql.lua's
 * `_create_table` for 0.12's `prosody` and `prosodyarchive` definitions): Prosody finds them there
 * and uses them as its own.
 */
const PROSODY_SCHEMA = `CREATE TABLE IF NOT EXISTS "prosody" ("host" TEXT NOT NULL, "user" TEXT NOT NULL, "store" TEXT NOT NULL, "key" TEXT NOT NULL, "type" TEXT NOT NULL, "value" TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS "prosody_index" ON "prosody" ("host", "user", "store", "key");
CREATE TABLE IF NOT EXISTS "prosodyarchive" ("sort_id" INTEGER PRIMARY KEY AUTOINCREMENT, "host" TEXT NOT NULL, "user" TEXT NOT NULL, "store" TEXT NOT NULL, "key" TEXT NOT NULL, "when" INTEGER NOT NULL, "with" TEXT NOT NULL, "type" TEXT NOT NULL, "value" TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS "prosodyarchive_index" ON "prosodyarchive" ("host", "user", "store", "key");
CREATE INDEX IF NOT EXISTS "prosodyarchive_with_when" ON "prosodyarchive" ("host", "user", "store", "with", "when");
CREATE INDEX IF NOT EXISTS "prosodyarchive_when" ON "prosodyarchive" ("host", "user", "store", "when");
CREATE INDEX IF NOT EXISTS "prosodyarchive_sort" ON "prosodyarchive" ("host", "user", "store", "sort_id");
`;

function sqlText(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Prosody: `<dir>/mam-1m`, a Prosody directory with the prepared accounts and the filled SQLite archive. */
export async function prefillProsodyArchive(dir: string): Promise<{ dir: string; seconds: number | undefined }> {
  const target = join(dir, 'mam-1m');
  if (await exists(join(target, MARKER))) return { dir: target, seconds: undefined };
  const startedAt = performance.now();
  await mkdir(target, { recursive: true });
  await cp(join(dir, 'data'), join(target, 'data'), { recursive: true, force: true });
  await cp(join(dir, 'certs'), join(target, 'certs'), { recursive: true, force: true });
  await rm(join(target, 'data', 'prosody.sqlite'), { force: true });
  const sqlite = spawn('sqlite3', [join(target, 'data', 'prosody.sqlite')], { stdio: ['pipe', 'inherit', 'inherit'] });
  const write = async (text: string): Promise<void> => {
    if (!sqlite.stdin.write(text)) await once(sqlite.stdin, 'drain');
  };
  await write(`PRAGMA synchronous = OFF;\n${PROSODY_SCHEMA}BEGIN;\n`);
  let chunk = '';
  for (const item of prefillItems()) {
    chunk += `INSERT INTO "prosodyarchive" ("host","user","store","when","with","key","type","value") VALUES ('${BENCH_DOMAIN}',${sqlText(item.owner)},'archive',${Math.floor(item.when / 1000)},${sqlText(item.peer)},'${randomUUID()}','xml',${sqlText(stanzaOf(item, "'"))});\n`;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(`${chunk}COMMIT;\n`);
  sqlite.stdin.end();
  const [code] = (await once(sqlite, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`sqlite3 exited with ${code}`);
  await writeFile(join(target, MARKER), `${new Date().toISOString()}\n`);
  return { dir: target, seconds: (performance.now() - startedAt) / 1000 };
}
