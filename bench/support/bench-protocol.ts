/** What the benchmark server process and the load generator agree on: accounts and stdio messages. */

export const BENCH_DOMAIN = 'localhost';
export const BENCH_MUC_DOMAIN = `conference.${BENCH_DOMAIN}`;
export const BENCH_PASSWORD = 'pw';
/** PBKDF2 iterations of every bench account, Salon's and Prosody's alike (RFC 7677 §4 minimum). */
export const BENCH_SASL_ITERATIONS = 4096;

/** The local part of the `index`-th benchmark account. */
export function benchUsername(index: number): string {
  return `user${index}`;
}

/** The local part of the `index`-th account with a roster (see `bench-data.ts`). */
export function rosterUsername(index: number): string {
  return `ruser${index}`;
}

/** The first line the server process prints once it listens. */
export interface ServerReady {
  port: number;
  /** 0 without TLS. */
  directTlsPort: number;
  pid: number;
  /** PEM of the test certificate, when TLS is on. */
  certificate?: string;
}

/** The answer to a `stats` line: bytes, CPU microseconds since start, a monotonic clock in ms. */
export interface ServerStats {
  rss: number;
  /** The JavaScript heap; undefined for a server that is not a Node process. */
  heapUsed: number | undefined;
  cpuUser: number;
  cpuSystem: number;
  wallMs: number;
  /** Open file descriptors (sockets, files, pipes), when known. */
  fds?: number;
  /** Node's active handles and requests (`process.getActiveResourcesInfo()`), when known. */
  handles?: number;
}
