import { describe, expect, test } from '@jest/globals';
import { createLogger } from '../../server/log/index.js';
import { formatLogLine } from '../../server/log/pretty-lines.js';

/** A pino destination that keeps what is written. */
function sink(): { write(text: string): void; text: () => string } {
  const chunks: string[] = [];
  return { write: (text: string) => void chunks.push(text), text: () => chunks.join('') };
}

describe('readable log lines (a terminal)', () => {
  test('time of day, the level by name, the message, then the fields as key=value', () => {
    const line = JSON.stringify({ level: 40, time: '2026-12-07T02:25:30.123Z', module: 'sasl', address: '192.0.2.7', user: 'alice smith', msg: 'authentication failed' });
    expect(formatLogLine(line, false)).toBe('02:25:30.123 WARN  authentication failed module=sasl address=192.0.2.7 user="alice smith"\n');
  });

  test('colour only when asked (a terminal): the level in its colour, the fields dimmed', () => {
    const line = JSON.stringify({ level: 50, time: '2026-12-07T02:25:30.123Z', msg: 'boom', code: 7 });
    expect(formatLogLine(line, true)).toBe('02:25:30.123 \u001b[31mERROR\u001b[0m boom \u001b[2mcode=7\u001b[0m\n');
    expect(formatLogLine(line, false)).not.toContain('\u001b[');
  });

  test('fields the message already says are not repeated', () => {
    const line = JSON.stringify({ level: 30, time: '2026-12-07T02:25:30.123Z', c2s: ['localhost:5222 (STARTTLS)'], web: [], port: 5222, msg: 'ready; XMPP clients: localhost:5222 (STARTTLS)' });
    expect(formatLogLine(line, false)).toBe('02:25:30.123 INFO  ready; XMPP clients: localhost:5222 (STARTTLS) port=5222\n');
  });

  test('an error\'s stack is indented under its line; a line that is not JSON is kept as it is', () => {
    const line = JSON.stringify({ level: 60, time: '2026-12-07T02:25:30.123Z', msg: 'start-up failed', err: { type: 'Error', message: 'x', stack: 'Error: x\n    at f (a.js:1:1)' } });
    expect(formatLogLine(line, false)).toBe('02:25:30.123 FATAL start-up failed\n    Error: x\n        at f (a.js:1:1)\n');
    expect(formatLogLine('not json\n', false)).toBe('not json\n');
  });

  test('createLogger: format "pretty" writes readable lines, the default with a destination is JSON, secrets redacted in both', () => {
    const pretty = sink();
    createLogger({ level: 'info', format: 'pretty', destination: pretty }).info({ user: 'alice', password: 'hunter2' }, 'hello');
    expect(pretty.text()).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO  hello user=alice password=\[redacted\]\n$/);
    const json = sink();
    createLogger({ level: 'info', destination: json }).info({ user: 'alice', password: 'hunter2' }, 'hello');
    expect(JSON.parse(json.text())).toMatchObject({ level: 30, user: 'alice', password: '[redacted]', msg: 'hello' });
  });
});
