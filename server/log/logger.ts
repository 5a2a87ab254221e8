/**
 * Logging: pino, JSON to stdout, secrets redacted. Every module and session gets a child logger
 * so a line names where it comes from.
 */
import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';

export type Logger = PinoLogger;
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

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
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: options.base ?? null,
      redact: { paths: REDACT, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/** A logger that drops everything: for pure-logic tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
