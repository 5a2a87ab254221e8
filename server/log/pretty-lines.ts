/**
 * Log lines for people: on a terminal, each JSON line pino writes becomes
 * `12:04:05.123 INFO  message key=value …`, the level coloured, an error's stack indented below.
 * Anything else (a pipe, a file, a log collector) gets pino's JSON lines unchanged.
 */
import type { DestinationStream } from 'pino';

const LEVEL_NAMES: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** ANSI SGR colours: grey, cyan, green, yellow, red, magenta. */
const LEVEL_COLOURS: Readonly<Record<number, string>> = { 10: '90', 20: '36', 30: '32', 40: '33', 50: '31', 60: '35' };
const PLAIN_VALUE = /^[^\s"=]+$/;

function paint(text: string, code: string | undefined, colour: boolean): string {
  return colour && code !== undefined ? `\u001b[${code}m${text}\u001b[0m` : text;
}

function fieldText(value: unknown): string {
  if (typeof value === 'string') return PLAIN_VALUE.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

function errorStack(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const stack = (value as { stack?: unknown }).stack;
  return typeof stack === 'string' ? stack : undefined;
}

/** Whether the message already says what a field holds (the ready line's addresses): not repeated. */
function saidBy(message: unknown, value: unknown): boolean {
  if (typeof message !== 'string') return false;
  if (typeof value === 'string') return value.length > 3 && message.includes(value);
  return Array.isArray(value) && value.every((item) => typeof item === 'string' && message.includes(item));
}

/** One JSON log line as a readable line (a line that is not JSON is returned as it is). */
export function formatLogLine(line: string, colour: boolean): string {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return line; // not one of pino's lines: shown untouched rather than lost
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return line;
  const { level, time, msg, err, ...fields } = record as Record<string, unknown>;
  const clock = typeof time === 'string' ? time.slice(11, 23) : '';
  const levelNumber = typeof level === 'number' ? level : 0;
  const name = (LEVEL_NAMES[levelNumber] ?? String(level)).padEnd(5);
  const stack = errorStack(err);
  if (err !== undefined && stack === undefined) fields.err = err;
  const rest = Object.entries(fields).filter(([, value]) => !saidBy(msg, value)).map(([key, value]) => `${key}=${fieldText(value)}`).join(' ');
  const text = `${clock} ${paint(name, LEVEL_COLOURS[levelNumber], colour)} ${typeof msg === 'string' ? msg : ''}`;
  const detail = rest === '' ? '' : ` ${paint(rest, '2', colour)}`;
  const trace = stack === undefined ? '' : `\n${stack.replace(/^/gm, '    ')}`;
  return `${text.trimEnd()}${detail}${trace}\n`;
}

/** A pino destination that writes readable lines to `target`. */
export function prettyDestination(target: DestinationStream, colour: boolean): DestinationStream {
  return { write: (line: string) => target.write(formatLogLine(line, colour)) };
}
