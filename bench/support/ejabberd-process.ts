/**
 * ejabberd (Debian's 23.01) as a server under test: the config of `ejabberd-config.ts` with a free
 * high port of 127.0.0.1, the Mnesia that `ejabberd-data.ts` loaded, started in the foreground as
 * `erl … -s ejabberd` (no ejabberdctl, which would switch to the `ejabberd` user and start epmd)
 * and pinned to the server core with `taskset`. `erl` execs `beam.smp`, so the child's pid is the
 * Erlang VM's, and its CPU and memory come from `/proc`. The VM's helper processes (erl_child_setup,
 * os_mon's memsup) are looked up before stopping and killed if the VM's exit left any behind.
 */
import type { ChildProcess } from 'node:child_process';
import { access, readdir, readFile, writeFile } from 'node:fs/promises';
import type { ServerReady, ServerStats } from './bench-protocol.js';
import { ejabberdConfigText, ejabberdPaths, erlArguments, erlEnvironment } from './ejabberd-config.js';
import { ejabberdErlLibs, preparedMarker } from './ejabberd-data.js';
import { ChildServer, spawnServer } from './child-server.js';
import { certificateFiles } from './self-signed-certificate.js';
import { freePort } from './server-probe.js';
import type { ServerNeeds, ServerUnderTest } from './server-under-test.js';

/** Printed with every ejabberd result: where it does not do the same work as Salon. */
export const EJABBERD_DIFFERENCES = [
  'ejabberd stores SCRAM-SHA-1 keys only (auth_scram_hash: sha; Salon SHA-1 and SHA-256; both are logged in with SCRAM-SHA-1)',
  'ejabberd keeps accounts and rosters in Mnesia dets tables (its default disc_only_copies) behind its caches, Salon in JSON files behind its own',
  'ejabberd has no heap figure and is not made to collect garbage from outside: memory per session is the Erlang VM\'s RSS delta',
  'ejabberd runs as root here, one scheduler and one dirty CPU scheduler (+S 1:1 +SDcpu 1:1), undistributed node',
];

export interface EjabberdOptions extends ServerNeeds {
  /** The directory `prepareEjabberdData` filled. */
  dir: string;
  /** The core to pin the VM to; undefined runs it unpinned. */
  core: number | undefined;
  timeoutMs?: number;
}

/** Parent pid (field 4 of proc(5) `stat`; the name may hold spaces). */
function parentOf(stat: string): number {
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** Every live descendant of `pid`, with its command name (to recognise it later). */
async function descendants(pid: number): Promise<Map<number, string>> {
  const parents = new Map<number, number>();
  const names = new Map<number, string>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    // A process may exit while the list is read; it is then no one's descendant.
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => undefined);
    if (stat === undefined) continue;
    parents.set(Number(entry), parentOf(stat));
    names.set(Number(entry), stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
  }
  const found = new Map<number, string>();
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.pop()!;
    for (const [child, itsParent] of parents) {
      if (itsParent !== parent || found.has(child)) continue;
      found.set(child, names.get(child) ?? '');
      queue.push(child);
    }
  }
  return found;
}

/** Kills those of `processes` still running under the same name (a reused pid is left alone). */
async function killLeftovers(processes: Map<number, string>): Promise<void> {
  for (const [pid, name] of processes) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
    if (stat === undefined || !stat.includes(`(${name})`)) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch (error) {
      // ESRCH: it exited in between, which is what was wanted.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
}

export class EjabberdServer implements ServerUnderTest {
  readonly kind = 'ejabberd';
  readonly ready: ServerReady;
  /** Mnesia's directory: the `archive_msg` table of mod_mam is a dets file there. */
  readonly dataDir: string;
  readonly #process: ChildServer;

  private constructor(child: ChildProcess, ready: ServerReady, dataDir: string) {
    this.dataDir = dataDir;
    this.#process = new ChildServer('ejabberd', child);
    this.ready = ready;
  }

  static async start(options: EjabberdOptions): Promise<EjabberdServer> {
    const paths = ejabberdPaths(options.dir);
    if (!(await access(preparedMarker(options.dir)).then(() => true, () => false))) {
      throw new Error(`${options.dir} holds no loaded accounts: run bench/prepare.ts --target ejabberd --dir ${options.dir}`);
    }
    const port = await freePort();
    const certificate = certificateFiles(options.dir);
    await writeFile(paths.config, ejabberdConfigText({ port, certificate, archiveAndSm: options.archiveAndSm }));
    const args = erlArguments(paths);
    const child = spawnServer('ejabberd', 'erl', args, options.core, { ...process.env, ...erlEnvironment(paths, await ejabberdErlLibs()) });
    const pem = options.tls ? await readFile(certificate.certificate, 'utf8') : undefined;
    const server = new EjabberdServer(child, { port, directTlsPort: 0, pid: child.pid ?? 0, certificate: pem }, paths.spool);
    await server.#process.waitForStreams(port, options.timeoutMs ?? 60_000, paths.log, () => server.stop());
    const name = (await readFile(`/proc/${server.ready.pid}/comm`, 'utf8')).trim();
    if (name !== 'beam.smp') {
      await server.stop();
      throw new Error(`expected erl to exec beam.smp, but pid ${server.ready.pid} is ${name}: its figures would not be the VM's`);
    }
    return server;
  }

  get exitReason(): string | undefined {
    return this.#process.exitReason;
  }

  /** `collect` is ignored: a garbage collection of every Erlang process would need a shell on the node. */
  async stats(): Promise<ServerStats> {
    return this.#process.stats(this.ready.pid);
  }

  /** SIGTERM (OTP runs `init:stop()`: ejabberd closes its sessions and Mnesia its files), SIGKILL after 15 s. */
  async stop(): Promise<void> {
    if (this.#process.exitReason !== undefined) return;
    const helpers = await descendants(this.ready.pid);
    await this.#process.terminate(15_000);
    await killLeftovers(helpers);
  }
}
