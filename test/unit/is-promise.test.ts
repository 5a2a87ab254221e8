/** Telling a hook handler's pending outcome from a synchronous one. */
import { expect, test } from '@jest/globals';
import { isPromise } from '../../server/hooks/index.js';

test('promises and other thenables are pending; plain values, including objects with a non-function then, are not', () => {
  const thenable = { then: (resolve: (value: number) => void) => resolve(1) };
  expect([Promise.resolve(1), thenable].map((value) => isPromise(value))).toEqual([true, true]);
  expect([undefined, null, true, 0, 'then', {}, { then: 1 }, () => undefined].map((value) => isPromise(value)))
    .toEqual([false, false, false, false, false, false, false, false]);
});
