/**
 * SIGHUP handling of `salon start` (server/cli/process-lifetime.ts): reloads run one at a time,
 * signals during a reload make exactly one more, signals before the server is up wait for it,
 * and none runs once stopping began.
 */
import { EventEmitter } from 'node:events';
import { expect, test } from '@jest/globals';
import { reloadOnHangup } from '../../server/cli/process-lifetime.js';

/** A reload that finishes when the test says so. */
function controlledReload() {
  const pending: Array<() => void> = [];
  let runs = 0;
  const reload = (): Promise<void> => {
    runs++;
    return new Promise((resolve) => pending.push(resolve));
  };
  const finishOne = async (): Promise<void> => {
    pending.shift()?.();
    for (let i = 0; i < 3; i++) await Promise.resolve(); // let `finally` run the next one
  };
  return { reload, finishOne, runs: () => runs, waiting: () => pending.length };
}

test('SIGHUPs during a reload make one more reload after it, not one each', async () => {
  const signals = new EventEmitter();
  const control = controlledReload();
  const trigger = reloadOnHangup(signals, control.reload);
  trigger.enable();
  signals.emit('SIGHUP');
  expect(control.runs()).toBe(1);
  signals.emit('SIGHUP');
  signals.emit('SIGHUP');
  expect(control.runs()).toBe(1);
  await control.finishOne();
  expect(control.runs()).toBe(2);
  await control.finishOne();
  expect([control.runs(), control.waiting()]).toEqual([2, 0]);
});

test('a SIGHUP while the server starts waits for it; after disable, SIGHUP is ignored but still caught', async () => {
  const signals = new EventEmitter();
  const control = controlledReload();
  const trigger = reloadOnHangup(signals, control.reload);
  signals.emit('SIGHUP');
  expect(control.runs()).toBe(0);
  trigger.enable();
  expect(control.runs()).toBe(1);
  await control.finishOne();
  trigger.disable();
  signals.emit('SIGHUP');
  expect(control.runs()).toBe(1);
  // The listener stays: without one, a SIGHUP during shutdown would end the process abruptly.
  expect(signals.listenerCount('SIGHUP')).toBe(1);
});
