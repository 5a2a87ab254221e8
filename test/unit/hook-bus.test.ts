/** The typed hook bus: priority order, veto, handled, failures and deadlines (fail closed). */
import { describe, expect, test } from '@jest/globals';
import { HookBus, Priority } from '../../server/hooks/index.js';
import { StanzaError } from '../../server/errors/index.js';
import { silentLogger } from '../../server/log/index.js';

interface Events {
  'thing-pre-change': { log: string[] };
  'thing-changed': { log: string[] };
}

const bus = (): HookBus<Events> => new HookBus<Events>(silentLogger());

describe('fire', () => {
  test('runs handlers highest priority first, equal priorities in registration order', () => {
    const hooks = bus();
    const log: string[] = [];
    hooks.on('thing-pre-change', (p) => void p.log.push('default-1'), Priority.Default);
    hooks.on('thing-pre-change', (p) => void p.log.push('fallback'), Priority.Fallback);
    hooks.on('thing-pre-change', (p) => void p.log.push('guard'), Priority.Guard);
    hooks.on('thing-pre-change', (p) => void p.log.push('default-2'), Priority.Default);
    hooks.on('thing-pre-change', (p) => void p.log.push('policy'), Priority.Policy);
    expect(hooks.fire('thing-pre-change', { log })).toBeUndefined();
    expect(log).toEqual(['guard', 'policy', 'default-1', 'default-2', 'fallback']);
  });

  test('a StanzaError vetoes and stops the chain', () => {
    const hooks = bus();
    const log: string[] = [];
    hooks.on('thing-pre-change', () => StanzaError.auth('not-authorized'), Priority.Policy);
    hooks.on('thing-pre-change', (p) => void p.log.push('later'));
    const outcome = hooks.fire('thing-pre-change', { log });
    expect(outcome).toBeInstanceOf(StanzaError);
    expect((outcome as StanzaError).condition).toBe('not-authorized');
    expect(log).toEqual([]);
  });

  test('true means handled and stops the chain', () => {
    const hooks = bus();
    const log: string[] = [];
    hooks.on('thing-pre-change', () => true, Priority.Guard);
    hooks.on('thing-pre-change', (p) => void p.log.push('later'));
    expect(hooks.fire('thing-pre-change', { log })).toBe(true);
    expect(log).toEqual([]);
  });

  test('stays synchronous while handlers are, and awaits async ones in order', async () => {
    const hooks = bus();
    const log: string[] = [];
    hooks.on('thing-pre-change', async (p) => {
      await new Promise((resolve) => setImmediate(resolve));
      p.log.push('async');
    }, Priority.Guard);
    hooks.on('thing-pre-change', (p) => void p.log.push('sync-after'));
    const outcome = hooks.fire('thing-pre-change', { log });
    expect(outcome).toBeInstanceOf(Promise);
    expect(log).toEqual([]);
    await outcome;
    expect(log).toEqual(['async', 'sync-after']);
  });

  test('a throwing handler fails closed with internal-server-error', () => {
    const hooks = bus();
    hooks.on('thing-pre-change', () => {
      throw new Error('boom');
    });
    expect((hooks.fire('thing-pre-change', { log: [] }) as StanzaError).condition).toBe('internal-server-error');
  });

  test('a rejected promise fails closed too', async () => {
    const hooks = bus();
    hooks.on('thing-pre-change', () => Promise.reject(new Error('boom')));
    expect(((await hooks.fire('thing-pre-change', { log: [] })) as StanzaError).condition).toBe('internal-server-error');
  });

  test('a handler that misses the deadline fails closed', async () => {
    const hooks = bus();
    hooks.on('thing-pre-change', () => new Promise(() => undefined));
    const started = Date.now();
    const outcome = (await hooks.fire('thing-pre-change', { log: [] }, { deadlineMs: 50 })) as StanzaError;
    expect(outcome.condition).toBe('internal-server-error');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test('the disposer removes a handler', () => {
    const hooks = bus();
    const log: string[] = [];
    const off = hooks.on('thing-pre-change', (p) => void p.log.push('x'));
    off();
    hooks.fire('thing-pre-change', { log });
    expect(log).toEqual([]);
    expect(hooks.has('thing-pre-change')).toBe(false);
  });
});

describe('notify', () => {
  test('runs every handler even after one throws', () => {
    const hooks = bus();
    const log: string[] = [];
    hooks.on('thing-changed', () => {
      throw new Error('boom');
    }, Priority.Guard);
    hooks.on('thing-changed', (p) => void p.log.push('still runs'));
    hooks.notify('thing-changed', { log });
    expect(log).toEqual(['still runs']);
  });
});
