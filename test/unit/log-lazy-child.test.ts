import { describe, test, expect } from '@jest/globals';
import { lazyChild } from '../../server/log/index.js';
import { recordingLogger } from '../helpers/recording-logger.js';

describe('lazyChild', () => {
  test('bindings are worked out only when an enabled line is written, and appear on it', () => {
    const { logger, lines } = recordingLogger('info');
    let asked = 0;
    const child = lazyChild(logger, () => {
      asked++;
      return { stream: 's1' };
    });
    child.debug('not written');
    expect(child.isLevelEnabled('debug')).toBe(false);
    expect(child.isLevelEnabled('info')).toBe(true);
    expect(asked).toBe(0);
    child.info({ user: 'alice' }, 'authenticated');
    child.warn('again');
    expect(asked).toBe(1);
    expect(lines).toMatchObject([
      { stream: 's1', user: 'alice', msg: 'authenticated', level: 30 },
      { stream: 's1', msg: 'again', level: 40 },
    ]);
  });

  test('a lazy child of a lazy child carries both bindings and makes neither early', () => {
    const { logger, lines } = recordingLogger('info');
    const made: string[] = [];
    const stream = lazyChild(logger, () => (made.push('stream'), { stream: 's2' }));
    const session = lazyChild(stream, () => (made.push('session'), { jid: 'bob@localhost/r' }));
    session.debug('dropped');
    expect(made).toEqual([]);
    session.info('resource bound');
    expect(made.sort()).toEqual(['session', 'stream']);
    expect(lines).toMatchObject([{ stream: 's2', jid: 'bob@localhost/r', msg: 'resource bound' }]);
  });

  test('secrets are still redacted on lazy children', () => {
    const { logger, lines } = recordingLogger('debug');
    lazyChild(logger, () => ({ stream: 's3' })).debug({ password: 'hunter2' }, 'x');
    expect(lines[0]).toMatchObject({ stream: 's3', password: '[redacted]' });
  });
});
