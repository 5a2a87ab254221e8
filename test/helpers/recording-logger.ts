/** A real (pino) logger whose lines are kept, parsed, for assertions. */
import { Writable } from 'node:stream';
import { createLogger, type Logger, type LogLevel } from '../../server/log/index.js';

export function recordingLogger(level: LogLevel = 'info'): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: createLogger({ level, destination }), lines };
}
