import { expect, test } from '@jest/globals';
import { TicketKeyRing } from '../../server/tls/ticket-keys.js';

/** A ring with a hand-driven clock (ms) and a period of 10 s. */
function ringAt(): { ring: TicketKeyRing; advance(ms: number): void } {
  let now = 1_000;
  return { ring: new TicketKeyRing(10, () => now), advance: (ms) => (now += ms) };
}

test('within one period every ticket is made and opened with the same key', () => {
  const { ring, advance } = ringAt();
  const key = ring.current();
  advance(9_999);
  expect(ring.current().name.equals(key.name)).toBe(true);
  expect(ring.find(key.name)).toMatchObject({ result: 1 });
});

test('after a rotation the previous key still opens tickets (to be renewed) for one period', () => {
  const { ring, advance } = ringAt();
  const old = ring.current();
  advance(10_000);
  const next = ring.current();
  expect(next.name.equals(old.name)).toBe(false);
  expect(ring.find(old.name)).toMatchObject({ result: 2, key: { name: old.name } });
  expect(ring.find(next.name)).toMatchObject({ result: 1 });
  advance(10_000);
  expect(ring.find(old.name)).toEqual({ result: 0 });
  expect(ring.find(next.name)).toMatchObject({ result: 2 });
});

test('after two idle periods or more no earlier key is accepted', () => {
  const { ring, advance } = ringAt();
  const old = ring.current();
  advance(25_000);
  expect(ring.find(old.name)).toEqual({ result: 0 });
  // The new key's period is aligned on the schedule: it is retired 5 s later, not 10 s.
  const next = ring.current();
  advance(5_000);
  expect(ring.find(next.name)).toMatchObject({ result: 2 });
});

test('an unknown key name and a forced rotation', () => {
  const { ring } = ringAt();
  expect(ring.find(Buffer.alloc(16))).toEqual({ result: 0 });
  const old = ring.current();
  ring.rotate();
  expect(ring.find(old.name)).toMatchObject({ result: 2 });
  expect(() => new TicketKeyRing(0)).toThrow(RangeError);
});
