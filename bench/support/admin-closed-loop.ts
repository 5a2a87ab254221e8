/**
 * What the admin API benches share: a fresh bearer token with its config digest, one JSON line
 * per result, and a closed loop that keeps a fixed number of requests in flight over keep-alive
 * HTTP (undici) for a measuring window after a one-second warm-up.
 */
import { createHash, randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';

/** A new token and the `http_admin_api_tokens` hash that admits it. */
export function benchToken(): { readonly token: string; readonly digest: string } {
  const token = `salon_${randomBytes(32).toString('base64url')}`;
  return { token, digest: `sha256:${createHash('sha256').update(token, 'utf8').digest('hex')}` };
}

export function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ ...line, date: new Date().toISOString(), node: process.version, cores: cpus().length, load1: loadavg()[0] })}\n`);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

export interface ClosedLoopSettings {
  readonly seconds: number;
  readonly concurrency: number;
  /** Reported with the result. */
  readonly params?: Record<string, unknown>;
}

/**
 * Runs `call(i, lane)` with `concurrency` in flight (`lane` names which one) and emits the rate,
 * p50 and p99 of the measuring window; answers other than `expected` count as failures.
 */
export async function closedLoop(
  scenario: string, settings: ClosedLoopSettings, call: (i: number, lane: number) => Promise<number>, expected: number,
): Promise<void> {
  let next = 0;
  let measuring = false;
  let stop = false;
  const latencies: number[] = [];
  let failures = 0;
  const run = async (lane: number) => {
    while (!stop) {
      const started = performance.now();
      const status = await call(next++, lane);
      if (status !== expected) failures += 1;
      if (measuring) latencies.push(performance.now() - started);
    }
  };
  const lanes = Array.from({ length: settings.concurrency }, (_, lane) => run(lane));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  measuring = true;
  const begun = performance.now();
  await new Promise((resolve) => setTimeout(resolve, settings.seconds * 1000));
  measuring = false;
  const elapsed = (performance.now() - begun) / 1000;
  stop = true;
  await Promise.all(lanes);
  latencies.sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10) / 10;
  emit({
    scenario, value: round(latencies.length / elapsed), unit: 'requests/s',
    p50: round(percentile(latencies, 0.5)), p99: round(percentile(latencies, 0.99)), failures,
    params: { seconds: settings.seconds, concurrency: settings.concurrency, ...settings.params },
  });
}
