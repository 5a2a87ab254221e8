import { describe, expect, test } from '@jest/globals';
import { lazyChild, silentLogger } from '../../server/log/index.js';
import { recordingLogger } from '../helpers/recording-logger.js';

describe('createLogger', () => {
  test('writes one JSON line per enabled call, with child bindings, and drops disabled levels', () => {
    const { logger, lines: written } = recordingLogger('info');
    logger.child({ module: 'muc' }).info({ room: 'lobby@conference.localhost' }, 'created');
    logger.debug('not written');
    logger.warn('plain message');
    expect(written).toMatchObject([
      { level: 30, module: 'muc', room: 'lobby@conference.localhost', msg: 'created' },
      { level: 40, msg: 'plain message' },
    ]);
    expect(written[0]).toHaveProperty('time');
    expect(logger.level).toBe('info');
    expect(logger.isLevelEnabled('debug')).toBe(false);
  });

  test('redacts passwords, SASL payloads and Authorization headers at any depth listed', () => {
    const { logger, lines: written } = recordingLogger();
    logger.info({ password: 'p1', request: { headers: { authorization: 'Bearer t' } }, sasl: 'AGFsaWNlAHB3' }, 'x');
    logger.info({ user: { password: 'p2', secret: 's' } }, 'y');
    expect(written[0]).toMatchObject({ password: '[redacted]', sasl: '[redacted]' });
    expect(written[1]).toMatchObject({ user: { password: '[redacted]', secret: '[redacted]' } });
    expect(JSON.stringify(written)).not.toMatch(/p1|p2|Bearer t|AGFsaWNlAHB3/);
  });
});

describe('silentLogger', () => {
  test('accepts every level and child without writing or failing, and reports nothing enabled', () => {
    const logger = silentLogger();
    expect(logger.level).toBe('silent');
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const) {
      expect(logger.isLevelEnabled(level)).toBe(false);
      expect(() => logger[level]({ a: 1 }, 'message')).not.toThrow();
      expect(() => logger[level]('message')).not.toThrow();
    }
    const child = logger.child({ stream: 's1' });
    expect(child.isLevelEnabled('fatal')).toBe(false);
    expect(() => child.child({ deeper: true }).error('still nothing')).not.toThrow();
  });

  test('a lazy child of the silent logger never asks for its bindings', () => {
    let asked = 0;
    const child = lazyChild(silentLogger(), () => (asked++, { stream: 's1' }));
    child.info('dropped');
    child.error({ error: 'x' }, 'dropped too');
    expect(asked).toBe(0);
  });
});
