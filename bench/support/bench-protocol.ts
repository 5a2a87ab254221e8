/** What the benchmark server process and the load generator agree on: accounts and stdio messages. */

export const BENCH_DOMAIN = 'localhost';
export const BENCH_PASSWORD = 'pw';

/** The local part of the `index`-th benchmark account. */
export function benchUsername(index: number): string {
  return `user${index}`;
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
  heapUsed: number;
  cpuUser: number;
  cpuSystem: number;
  wallMs: number;
}
