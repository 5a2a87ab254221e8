/**
 * Logging: pino, secrets redacted: readable lines on a terminal, JSON lines otherwise
 * (`pretty-lines.ts`). Every module and session gets a child logger so a line names where it
 * comes from.
 *
 * `Logger` is the part of pino's interface Salon uses, so that a silent logger needs no pino:
 * pino is loaded when the first real logger is made, which a silent `salon fixture` or
 * `startServer()` never does (its module graph costs ≈ 7 ms of their start-up).
 */
import { createRequire } from 'node:module';
import type { DestinationStream } from 'pino';
import { prettyDestination } from './pretty-lines.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** One level's method: `log.info({ jid }, 'bound')` or `log.info('started')`. */
export interface LogFn {
  (fields: object, message?: string): void;
  (message: string): void;
}

export interface Logger {
  readonly level: string;
  fatal: LogFn;
  error: LogFn;
  warn: LogFn;
  info: LogFn;
  debug: LogFn;
  trace: LogFn;
  /** A logger whose lines also carry `bindings`. */
  child(bindings: Record<string, unknown>): Logger;
  isLevelEnabled(level: string): boolean;
}

/** Never log these: passwords, SASL payloads, Authorization header values. */
const REDACT = [
  'password', '*.password', 'authorization', '*.authorization', 'headers.authorization',
  '*.headers.authorization', 'secret', '*.secret', 'sasl', '*.sasl',
];

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; stdout by default. Tests pass a stream to read them back. */
  destination?: DestinationStream;
  /** Fixed fields on every line (e.g. the server instance). */
  base?: Record<string, unknown>;
  /**
   * `pretty`: readable lines (level names, colour only on a terminal); `json`: one JSON object per
   * line. Default: pretty when writing to stdout and stdout is a terminal, JSON otherwise.
   */
  format?: 'pretty' | 'json';
}

/** Whether lines go to a terminal (so that people, not programs, read them). */
function stdoutIsTerminal(options: LoggerOptions): boolean {
  return options.destination === undefined && process.stdout.isTTY === true;
}

const requireFromHere = createRequire(import.meta.url);

export function createLogger(options: LoggerOptions = {}): Logger {
  const { pino } = requireFromHere('pino') as typeof import('pino');
  const target = options.destination ?? pino.destination({ dest: 1, sync: false });
  const format = options.format ?? (stdoutIsTerminal(options) ? 'pretty' : 'json');
  // NO_COLOR (no-color.org): a terminal user's wish for lines without colour.
  const colour = stdoutIsTerminal(options) && (process.env.NO_COLOR ?? '') === '';
  return pino(
    {
      level: options.level ?? 'info',
      base: options.base ?? null,
      redact: { paths: REDACT, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    format === 'pretty' ? prettyDestination(target, colour) : target,
  );
}

function ignore(): void {}

const SILENT: Logger = {
  level: 'silent',
  fatal: ignore, error: ignore, warn: ignore, info: ignore, debug: ignore, trace: ignore,
  child: () => SILENT,
  isLevelEnabled: () => false,
};

/** A logger that drops everything (level `silent`), without loading pino. */
export function silentLogger(): Logger {
  return SILENT;
}
