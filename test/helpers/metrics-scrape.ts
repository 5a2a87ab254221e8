/**
 * Reads `GET /metrics` the way a Prometheus server does and parses the exposition with an
 * independent parser (parse-prometheus-text-format), so a malformed exposition fails the test.
 */
import parsePrometheusTextFormat, { type ParsedFamily, type ParsedSample } from 'parse-prometheus-text-format';
import { send, type HttpReply, type RequestOptions } from './http-request.js';

export interface Scrape {
  readonly reply: HttpReply;
  readonly families: ReadonlyMap<string, ParsedFamily>;
  /**
   * The same text with histograms read as plain series (`<name>_bucket`, `_sum`, `_count`, each
   * with its labels): the parser folds a histogram's series into one sample and drops their
   * labels, so a labelled histogram can only be read this way.
   */
  readonly series: ReadonlyMap<string, ParsedFamily>;
}

function byName(families: readonly ParsedFamily[]): Map<string, ParsedFamily> {
  return new Map(families.map((family) => [family.name, family]));
}

export async function scrape(httpUrl: string, options: RequestOptions = {}): Promise<Scrape> {
  const reply = await send(`${httpUrl}/metrics`, options);
  if (reply.status !== 200) return { reply, families: new Map(), series: new Map() };
  const untypedHistograms = reply.body.split('\n').filter((line) => !/^# TYPE \S+ histogram$/.test(line)).join('\n');
  return { reply, families: byName(parsePrometheusTextFormat(reply.body)), series: byName(parsePrometheusTextFormat(untypedHistograms)) };
}

export interface HistogramSample {
  readonly count: number;
  readonly sum: number;
  /** Upper bound (`le`) → cumulative count. */
  readonly buckets: ReadonlyMap<string, number>;
}

/** The histogram `name` with `labels`, read from its plain series. */
export function histogramOf(scraped: Scrape, name: string, labels: Readonly<Record<string, string>>): HistogramSample {
  if (scraped.families.get(name)?.type !== 'HISTOGRAM') throw new Error(`${name} is not a histogram`);
  const read = (suffix: string) => (scraped.series.get(`${name}${suffix}`)?.metrics ?? []).filter((sample) => matches(sample, labels));
  const one = (suffix: string): number => {
    const found = read(suffix);
    if (found.length !== 1) throw new Error(`${found.length} samples of ${name}${suffix} with ${JSON.stringify(labels)}`);
    return Number(found[0]!.value);
  };
  const buckets = new Map(read('_bucket').map((sample) => [sample.labels?.le ?? '', Number(sample.value)]));
  return { count: one('_count'), sum: one('_sum'), buckets };
}

function matches(sample: ParsedSample, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(labels).every(([name, value]) => sample.labels?.[name] === value);
}

/** The one sample of `name` carrying `labels`; fails the test when there is not exactly one. */
export function sampleOf(scraped: Scrape, name: string, labels: Readonly<Record<string, string>> = {}): ParsedSample {
  const family = scraped.families.get(name);
  if (family === undefined) throw new Error(`no metric family ${name}`);
  const found = family.metrics.filter((sample) => matches(sample, labels));
  if (found.length !== 1) throw new Error(`${found.length} samples of ${name} with ${JSON.stringify(labels)}`);
  return found[0]!;
}

/** The numeric value of the one sample of `name` with `labels`. */
export function valueOf(scraped: Scrape, name: string, labels: Readonly<Record<string, string>> = {}): number {
  return Number(sampleOf(scraped, name, labels).value);
}

/** The value of `name` with `labels`, or 0 when the family has no such sample (a label value not seen yet). */
export function valueOrZero(scraped: Scrape, name: string, labels: Readonly<Record<string, string>> = {}): number {
  const family = scraped.families.get(name);
  if (family === undefined) throw new Error(`no metric family ${name}`);
  const found = family.metrics.find((sample) => matches(sample, labels));
  return found === undefined ? 0 : Number(found.value);
}
