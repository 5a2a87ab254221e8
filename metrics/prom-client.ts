/**
 * prom-client, loaded when `http_openmetrics` loads: a server without metrics never pays for it
 * (it pulls in its push gateway's HTTP client and the default collectors). The one module that
 * names the library's metric classes (STYLE.md §7), with the two shapes every family here takes:
 * a gauge or a counter whose values are read from elsewhere when scraped.
 */
import type { Counter, Gauge, Registry } from 'prom-client';

export type PromClient = typeof import('prom-client');

export function loadPromClient(): Promise<PromClient> {
  return import('prom-client');
}

export interface FamilySpec<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly L[];
}

/** Label values and the value of one series. */
export type Series<L extends string> = readonly [Partial<Record<L, string>>, number];

/**
 * A gauge whose series are replaced by `read()` at each scrape (label sets that disappeared go
 * away, e.g. a host with no sessions left).
 */
export function gaugeFrom<L extends string>(prom: PromClient, registry: Registry, spec: FamilySpec<L>, read: () => Iterable<Series<L>>): Gauge<L> {
  return new prom.Gauge<L>({
    ...spec,
    registers: [registry],
    collect(this: Gauge<L>) {
      this.reset();
      for (const [labels, value] of read()) this.set(labels, value);
    },
  });
}

/**
 * A counter holding totals counted elsewhere (the core's plain counters), set at each scrape.
 * Every series `read()` lists is exposed, zero included, so queries never miss one.
 */
export function counterFrom<L extends string>(prom: PromClient, registry: Registry, spec: FamilySpec<L>, read: () => Iterable<Series<L>>): Counter<L> {
  return new prom.Counter<L>({
    ...spec,
    registers: [registry],
    collect(this: Counter<L>) {
      this.reset();
      for (const [labels, value] of read()) this.inc(labels, value);
    },
  });
}

/** Series of one label from `[value, count]` pairs (a record's entries, a map). */
export function* byLabel<L extends string>(label: L, pairs: Iterable<readonly [string, number]>): Iterable<Series<L>> {
  for (const [value, count] of pairs) yield [{ [label]: value } as Partial<Record<L, string>>, count];
}
