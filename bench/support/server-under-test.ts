/**
 * A server process under load, whichever implementation it is: where it listens, its CPU and
 * memory on demand, and how to stop it. Salon (`server-process.ts`), Prosody (`prosody-process.ts`)
 * and ejabberd (`ejabberd-process.ts`) all run as child processes pinned to the server core.
 */
import type { ServerReady, ServerStats } from './bench-protocol.js';

export const SERVER_KINDS = ['salon', 'prosody', 'ejabberd'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

/** What a scenario needs the server to offer. */
export interface ServerNeeds {
  tls: boolean;
  muc: boolean;
  /**
   * Message archives, stream management and carbons on (Prosody's `mod_mam`, `mod_smacks`,
   * `mod_carbons`; ejabberd's `mod_mam`, `mod_stream_mgmt`, `mod_carboncopy`). Salon runs them
   * by default, so it is started as always.
   */
  archiveAndSm?: boolean;
  /**
   * Prosody's archive in SQLite (mod_storage_sql) instead of its default `internal` files, which
   * refuse more than 10,000 items per user and read a user's whole archive file for each query.
   */
  prosodyArchiveSql?: boolean;
  /**
   * Personal eventing (XEP-0163): Prosody's `mod_pep`, which its default configuration enables.
   * Salon loads its `pep` module by default, so it is started as always.
   */
  pep?: boolean;
}

export interface ServerUnderTest {
  readonly kind: ServerKind;
  readonly ready: ServerReady;
  /** Where the server keeps its data on disk, when it does. */
  readonly dataDir?: string;
  /** CPU, memory and descriptors now; `collect` asks for a full garbage collection first where the server can do one. */
  stats(collect?: boolean): Promise<ServerStats>;
  /** Why the process is gone, or undefined while it runs. */
  readonly exitReason: string | undefined;
  stop(): Promise<void>;
}
