/** Command-line flags of `bench/login-and-message.ts`, validated into one typed value. */
import { parseArgs } from 'node:util';
import { err, ok, type Result } from '../../server/errors/index.js';
import type { SaslMechanismName, TlsMode } from './load-client.js';

export const SCENARIOS = ['login', 'msg', 'msg-latency'] as const;
export type Scenario = (typeof SCENARIOS)[number];

const MECHANISMS: readonly SaslMechanismName[] = ['SCRAM-SHA-1', 'SCRAM-SHA-256', 'PLAIN'];
const TLS_MODES: readonly TlsMode[] = ['none', 'starttls', 'direct'];

export interface BenchFlags {
  scenarios: Scenario[];
  /** Seconds measured per scenario; undefined: each scenario's default. */
  duration: number | undefined;
  /** Seconds of load before measuring starts. */
  warmup: number;
  pairs: number;
  inFlight: number;
  /** Logins in flight in the `login` scenario. */
  concurrency: number;
  /** `login` runs once per mechanism; the message scenarios log in with the first. */
  mechanisms: SaslMechanismName[];
  tls: TlsMode;
  pin: boolean;
}

export const USAGE = `Usage: node node_modules/jiti/lib/jiti-cli.mjs bench/login-and-message.ts [flags]
  --scenarios LIST    ${SCENARIOS.join(',')} (default: all)
  --duration S        measured seconds per scenario (default: login 6, msg 10, msg-latency 5)
  --warmup S          seconds of load before measuring (default 1)
  --pairs N           sender/receiver pairs in msg (default 50)
  --in-flight N       messages in flight in msg (default 400)
  --concurrency N     logins in flight in login (default 50)
  --mechanism LIST    ${MECHANISMS.join(',')} (default SCRAM-SHA-1,PLAIN)
  --tls MODE          ${TLS_MODES.join('|')} (default none)
  --no-pin            do not pin server and load generator to separate cores`;

function integer(name: string, text: string, min: number, max: number): Result<number, string> {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) return err(`--${name} must be an integer from ${min} to ${max}, got "${text}"`);
  return ok(value);
}

function list<T extends string>(name: string, text: string, allowed: readonly T[]): Result<T[], string> {
  const items = text.split(',').map((item) => item.trim()).filter((item) => item !== '');
  const unknown = items.find((item) => !(allowed as readonly string[]).includes(item));
  if (unknown !== undefined || items.length === 0) return err(`--${name}: "${unknown ?? text}" is not one of ${allowed.join(', ')}`);
  return ok(items as T[]);
}

const OPTIONS = {
  scenarios: { type: 'string', default: SCENARIOS.join(',') },
  duration: { type: 'string' },
  warmup: { type: 'string', default: '1' },
  pairs: { type: 'string', default: '50' },
  'in-flight': { type: 'string', default: '400' },
  concurrency: { type: 'string', default: '50' },
  mechanism: { type: 'string', default: 'SCRAM-SHA-1,PLAIN' },
  tls: { type: 'string', default: 'none' },
  'no-pin': { type: 'boolean', default: false },
} as const;

type FlagValues = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

/** Reads and validates the flags; the error names the flag. */
export function parseBenchFlags(argv: string[]): Result<BenchFlags, string> {
  let values: FlagValues;
  try {
    values = parseArgs({ args: argv, options: OPTIONS }).values;
  } catch (error) {
    return err((error as Error).message);
  }
  return validate(values);
}

function validate(v: FlagValues): Result<BenchFlags, string> {
  const scenarios = list('scenarios', v.scenarios, SCENARIOS);
  if (!scenarios.ok) return scenarios;
  const mechanisms = list('mechanism', v.mechanism, MECHANISMS);
  if (!mechanisms.ok) return mechanisms;
  const duration = v.duration === undefined ? ok(undefined) : integer('duration', v.duration, 1, 3600);
  if (!duration.ok) return duration;
  const warmup = integer('warmup', v.warmup, 0, 600);
  if (!warmup.ok) return warmup;
  const pairs = integer('pairs', v.pairs, 1, 10_000);
  if (!pairs.ok) return pairs;
  const inFlight = integer('in-flight', v['in-flight'], 1, 100_000);
  if (!inFlight.ok) return inFlight;
  const concurrency = integer('concurrency', v.concurrency, 1, 10_000);
  if (!concurrency.ok) return concurrency;
  const tls = TLS_MODES.find((mode) => mode === v.tls);
  if (tls === undefined) return err(`--tls must be one of ${TLS_MODES.join(', ')}, got "${v.tls}"`);
  return ok({
    scenarios: scenarios.value,
    duration: duration.value,
    warmup: warmup.value,
    pairs: pairs.value,
    inFlight: inFlight.value,
    concurrency: concurrency.value,
    mechanisms: mechanisms.value,
    tls,
    pin: !v['no-pin'],
  });
}
