/**
 * An ephemeral PostgreSQL cluster for tests and measurements, from Debian's `postgresql` package:
 * `initdb` into a fresh temporary directory, `pg_ctl start` on a free loopback port with the unix
 * socket inside that directory, one database created. PostgreSQL refuses to run as root, so when
 * the tests run as root the cluster runs as the package's `postgres` system user (`runuser`), its
 * directory handed over to that user. Nothing prompts (no stdin, trust on the socket, a password
 * file for TCP) and `stop()` removes everything. A cluster that cannot start is an error, never a
 * reason to skip: the caller's test fails with PostgreSQL's own log attached.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PostgresCluster {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** `postgres://user:password@host:port/database`. */
  readonly url: string;
  /** Milliseconds `initdb`, `pg_ctl start` and `createdb` took together. */
  readonly startMs: number;
  /** Stops the server (immediately, as a crash would) but keeps its data. */
  halt(): Promise<void>;
  /** Starts a halted server again on the same port. */
  resume(): Promise<void>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

export interface PostgresClusterOptions {
  /**
   * Keep PostgreSQL's durability settings (fsync on): for measurements. Tests default to
   * fsync off, which changes nothing they can observe (a halted server loses no commit) and
   * makes the cluster faster.
   */
  durable?: boolean;
}

const COMMAND_TIMEOUT_MS = 30_000;

/** The newest installed PostgreSQL's bin directory. */
function findBinaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const bin = join(root, version, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); install Debian\'s "postgresql" package');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function systemUser(name: string): Promise<{ uid: number; gid: number }> {
  const line = (await readFile('/etc/passwd', 'utf8')).split('\n').find((l) => l.startsWith(`${name}:`));
  const fields = line?.split(':');
  if (fields === undefined || fields.length < 4) {
    throw new Error(`running as root but there is no "${name}" system user to run PostgreSQL as`);
  }
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

function run(asPostgres: boolean, file: string, args: string[]): Promise<string> {
  const [command, argv] = asPostgres ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  return new Promise((resolve, reject) => {
    const child = execFile(command, argv, { timeout: COMMAND_TIMEOUT_MS, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C' } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
    child.stdin?.end();
  });
}

/** Starts a new cluster; rejects (with PostgreSQL's log) if it cannot. */
export async function startPostgresCluster(options: PostgresClusterOptions = {}): Promise<PostgresCluster> {
  const began = performance.now();
  const bin = findBinaries();
  const asPostgres = process.getuid?.() === 0;
  const dir = await mkdtemp(join(tmpdir(), 'salon-pg-'));
  const data = join(dir, 'data');
  const socketDir = join(dir, 'socket');
  const logFile = join(dir, 'postgres.log');
  const user = 'salon';
  const password = randomBytes(12).toString('hex');
  const database = 'salon_test';
  await mkdir(socketDir);
  await writeFile(join(dir, 'pwfile'), `${password}\n`, { mode: 0o600 });
  if (asPostgres) {
    const owner = await systemUser('postgres');
    for (const path of [dir, socketDir, join(dir, 'pwfile')]) await chown(path, owner.uid, owner.gid);
  }
  const port = await freePort();
  const pgCtl = join(bin, 'pg_ctl');
  const serverOptions = [
    `-p ${port}`, '-c listen_addresses=127.0.0.1', `-k ${socketDir}`,
    // Without fsync a commit still reaches the kernel before it is acknowledged, so only an
    // operating-system crash (never `halt()`, a process crash) can lose it.
    ...(options.durable === true ? [] : ['-c fsync=off', '-c full_page_writes=off']),
  ].join(' ');
  const start = (): Promise<string> => run(asPostgres, pgCtl, ['start', '-D', data, '-w', '-t', '30', '-l', logFile, '-o', serverOptions]);
  const halt = async (): Promise<void> => {
    await run(asPostgres, pgCtl, ['stop', '-D', data, '-m', 'immediate', '-w']);
  };
  try {
    await run(asPostgres, join(bin, 'initdb'), [
      '-D', data, '-U', user, `--pwfile=${join(dir, 'pwfile')}`, '--auth-local=trust', '--auth-host=scram-sha-256',
      '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions',
    ]);
    await start();
    await run(asPostgres, join(bin, 'createdb'), ['-h', socketDir, '-p', String(port), '-U', user, database]);
  } catch (error) {
    const log = await readFile(logFile, 'utf8').catch(() => '(no server log)');
    await halt().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}\nPostgreSQL log:\n${log}`);
  }
  const startMs = Math.round(performance.now() - began);
  let running = true;
  return {
    host: '127.0.0.1', port, user, password, database, startMs,
    url: `postgres://${user}:${password}@127.0.0.1:${port}/${database}`,
    halt: async () => {
      await halt();
      running = false;
    },
    resume: async () => {
      await start();
      running = true;
    },
    stop: async () => {
      if (running) await halt().catch(() => undefined);
      running = false;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
