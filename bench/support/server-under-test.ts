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
}

export interface ServerUnderTest {
  readonly kind: ServerKind;
  readonly ready: ServerReady;
  /** CPU, memory and descriptors now; `collect` asks for a full garbage collection first where the server can do one. */
  stats(collect?: boolean): Promise<ServerStats>;
  /** Why the process is gone, or undefined while it runs. */
  readonly exitReason: string | undefined;
  stop(): Promise<void>;
}
