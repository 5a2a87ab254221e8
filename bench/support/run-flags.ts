/** Command-line flags of `bench/run.ts`, validated into one typed value. */
import { parseArgs } from 'node:util';
import { err, ok, type Result } from '../../server/errors/index.js';
import { QUICK_SCENARIOS, SCENARIO_NAMES, type ScenarioName } from './scenarios.js';
import { SERVER_KINDS, type ServerKind } from './server-under-test.js';

export interface RunFlags {
  target: ServerKind;
  scenarios: ScenarioName[];
  /** Salon: a data directory made by `bench/prepare.ts`; undefined: made in a temporary directory. */
  data: string | undefined;
  /** Prosody: the directory made by `bench/prepare.ts --target prosody`. */
  prosodyDir: string | undefined;
  /** ejabberd: the directory made by `bench/prepare.ts --target ejabberd`. */
  ejabberdDir: string | undefined;
  duration: number | undefined;
  warmup: number;
  quick: boolean;
  /** A file of derived SCRAM keys kept between runs. */
  keyCache: string | undefined;
  /** Written into every result line (compare.sh's repetition number). */
  rep: number | undefined;
  pin: boolean;
}

export const RUN_USAGE = `Usage: node node_modules/jiti/lib/jiti-cli.mjs bench/run.ts [flags]   (npm run build first)
  --target KIND           the server under test: ${SERVER_KINDS.join(', ')} (default salon)
  --scenarios LIST        ${SCENARIO_NAMES.join(',')}
                          (default: all; with --quick: ${QUICK_SCENARIOS.join(',')})
  --data DIR              Salon data directory made by bench/prepare.ts (default: one made now, removed after)
  --prosody-dir DIR       Prosody directory made by bench/prepare.ts --target prosody (required for prosody)
  --ejabberd-dir DIR      ejabberd directory made by bench/prepare.ts --target ejabberd (required for ejabberd)
  --duration S            measured seconds of every scenario (default: each scenario's own)
  --warmup S              seconds of load before measuring (default 1)
  --quick                 short windows (a regression check, not a figure to quote)
  --key-cache FILE        keep derived SCRAM keys between runs (the accounts' salts must not change)
  --rep N                 repetition number to record in each result line
  --no-pin                do not pin the server to core 0 and this process to core 1`;

const OPTIONS = {
  target: { type: 'string', default: 'salon' },
  scenarios: { type: 'string' },
  data: { type: 'string' },
  'prosody-dir': { type: 'string' },
  'ejabberd-dir': { type: 'string' },
  duration: { type: 'string' },
  warmup: { type: 'string', default: '1' },
  quick: { type: 'boolean', default: false },
  'key-cache': { type: 'string' },
  rep: { type: 'string' },
  'no-pin': { type: 'boolean', default: false },
} as const;

function isServerKind(name: string): name is ServerKind {
  return (SERVER_KINDS as readonly string[]).includes(name);
}

function integer(name: string, text: string | undefined, min: number, max: number): Result<number | undefined, string> {
  if (text === undefined) return ok(undefined);
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) return err(`--${name} must be an integer from ${min} to ${max}, got "${text}"`);
  return ok(value);
}

function scenarioList(text: string | undefined, quick: boolean): Result<ScenarioName[], string> {
  if (text === undefined) return ok(quick ? [...QUICK_SCENARIOS] : [...SCENARIO_NAMES]);
  const names = text.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.find((name) => !(SCENARIO_NAMES as readonly string[]).includes(name));
  if (unknown !== undefined || names.length === 0) return err(`--scenarios: "${unknown ?? text}" is not one of ${SCENARIO_NAMES.join(', ')}`);
  return ok(names as ScenarioName[]);
}

/** Reads and validates the flags; the error names the flag. */
export function parseRunFlags(argv: string[]): Result<RunFlags, string> {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];
  try {
    values = parseArgs({ args: argv, options: OPTIONS }).values;
  } catch (error) {
    return err((error as Error).message);
  }
  const target = values.target;
  if (!isServerKind(target)) return err(`--target must be one of ${SERVER_KINDS.join(', ')}, got "${target}"`);
  if (target === 'prosody' && values['prosody-dir'] === undefined) return err('--target prosody needs --prosody-dir (see bench/prepare.ts)');
  if (target === 'ejabberd' && values['ejabberd-dir'] === undefined) return err('--target ejabberd needs --ejabberd-dir (see bench/prepare.ts)');
  const scenarios = scenarioList(values.scenarios, values.quick);
  if (!scenarios.ok) return scenarios;
  const duration = integer('duration', values.duration, 1, 3600);
  if (!duration.ok) return duration;
  const warmup = integer('warmup', values.warmup, 0, 600);
  if (!warmup.ok) return warmup;
  const rep = integer('rep', values.rep, 0, 1000);
  if (!rep.ok) return rep;
  return ok({
    target, scenarios: scenarios.value, data: values.data, prosodyDir: values['prosody-dir'], ejabberdDir: values['ejabberd-dir'],
    duration: duration.value, warmup: warmup.value ?? 1, quick: values.quick, keyCache: values['key-cache'], rep: rep.value,
    pin: !values['no-pin'],
  });
}
