/** The XEP-0198 counters: unacknowledged stanzas and `h` arithmetic modulo 2^32. */
import { describe, expect, test } from '@jest/globals';
import { H_MAX, hDistance, nextH, parseH } from '../../server/stream/stream-management/h-counter.js';
import { UnackedQueue } from '../../server/stream/stream-management/unacked-queue.js';

describe('h arithmetic', () => {
  test('wraps after 2^32 - 1 and measures distance across the wrap', () => {
    expect(nextH(H_MAX)).toBe(0);
    expect(nextH(41)).toBe(42);
    expect(hDistance(H_MAX - 1, 1)).toBe(3);
    expect(hDistance(5, 5)).toBe(0);
  });

  test('parses only decimal integers in range', () => {
    expect(parseH('0')).toBe(0);
    expect(parseH('4294967295')).toBe(H_MAX);
    expect(parseH('4294967296')).toBeUndefined();
    expect(parseH('-1')).toBeUndefined();
    expect(parseH('1e3')).toBeUndefined();
    expect(parseH(' 1')).toBeUndefined();
    expect(parseH(undefined)).toBeUndefined();
  });
});

describe('UnackedQueue', () => {
  test('drops what is acknowledged, oldest first, and refuses counts it never sent', () => {
    const queue = new UnackedQueue();
    for (const xml of ['a', 'b', 'c']) queue.push(xml);
    expect(queue.ack(2)).toBeUndefined();
    expect(queue.items()).toEqual(['c']);
    expect(queue.sent).toBe(3);
    expect(queue.ack(2)).toBeUndefined(); // the same h again changes nothing
    expect(queue.ack(5)).toEqual({ kind: 'too-high', h: 5, sent: 3 });
    expect(queue.ack(1)).toEqual({ kind: 'too-low', h: 1, acked: 2 });
    expect(queue.items()).toEqual(['c']);
  });

  test('counts across the 2^32 wrap', () => {
    const queue = new UnackedQueue(H_MAX - 1);
    for (let i = 0; i < 4; i++) queue.push(`y${i}`);
    expect(queue.sent).toBe(2); // H_MAX - 1 + 4, modulo 2^32
    expect(queue.ack(H_MAX)).toBeUndefined();
    expect(queue.items()).toEqual(['y1', 'y2', 'y3']);
    expect(queue.ack(1)).toBeUndefined();
    expect(queue.items()).toEqual(['y3']);
    expect(queue.ack(3)).toEqual({ kind: 'too-high', h: 3, sent: 2 });
    expect(queue.ack(H_MAX)).toEqual({ kind: 'too-low', h: H_MAX, acked: 1 });
  });

  test('drain hands over everything, with the time each was queued, and moves the count past it', () => {
    const queue = new UnackedQueue();
    const before = Date.now();
    queue.push('a');
    queue.push('b');
    const after = Date.now();
    const drained = queue.drain();
    expect(drained.map((item) => item.xml)).toEqual(['a', 'b']);
    for (const { queuedAt } of drained) {
      expect(queuedAt).toBeGreaterThanOrEqual(before);
      expect(queuedAt).toBeLessThanOrEqual(after);
    }
    expect(queue.length).toBe(0);
    expect(queue.acked).toBe(2);
  });

  test('prepare rewrites each item once, keeps its time through acknowledgements, and leaves the count alone', () => {
    const queue = new UnackedQueue();
    for (const xml of ['a', 'b', 'c']) queue.push(xml);
    const seen: string[] = [];
    const rewrite = (item: { xml: unknown; queuedAt: number }): string => {
      seen.push(String(item.xml));
      return `${String(item.xml)}'`;
    };
    queue.prepare(rewrite);
    expect(queue.items()).toEqual(["a'", "b'", "c'"]);
    expect(queue.ack(1)).toBeUndefined();
    queue.push('d');
    queue.prepare(rewrite);
    expect(seen).toEqual(['a', 'b', 'c', 'd']);
    expect(queue.items()).toEqual(["b'", "c'", "d'"]);
    expect(queue.sent).toBe(4);
    const drained = queue.drain();
    expect(drained.map((item) => item.xml)).toEqual(["b'", "c'", "d'"]);
    expect(drained.every((item) => typeof item.queuedAt === 'number' && item.queuedAt > 0)).toBe(true);
  });
});
