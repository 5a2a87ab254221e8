import { describe, expect, test } from '@jest/globals';
import { parse, type Element } from 'ltx';
import { InputQueue, OVERFLOW_BYTES } from '../../server/stream/input-queue.js';
import { ELEMENT_NODE_BYTES, estimateElementBytes } from '../../server/stream/input-size.js';

describe('InputQueue', () => {
  test('first in, first out, with the bytes of what waits', () => {
    const queue = new InputQueue<string>({ stanzas: 10, bytes: 1000 });
    queue.push('a', 100);
    queue.push('b', 200);
    expect(queue.length).toBe(2);
    expect(queue.bytes).toBe(300);
    expect(queue.shift()).toBe('a');
    expect(queue.bytes).toBe(200);
    expect(queue.shift()).toBe('b');
    expect(queue.shift()).toBeUndefined();
    expect(queue.bytes).toBe(0);
  });

  test('full at either limit, room again at half of both', () => {
    const bySize = new InputQueue<number>({ stanzas: 100, bytes: 1000 });
    bySize.push(1, 600);
    expect(bySize.isFull).toBe(false);
    bySize.push(2, 400);
    expect(bySize.isFull).toBe(true);
    bySize.shift();
    expect(bySize.hasRoom).toBe(true);
    const byCount = new InputQueue<number>({ stanzas: 4, bytes: 1_000_000 });
    for (let i = 0; i < 4; i++) byCount.push(i, 1);
    expect(byCount.isFull).toBe(true);
    byCount.shift();
    expect(byCount.hasRoom).toBe(false);
    byCount.shift();
    expect(byCount.hasRoom).toBe(true);
  });

  test('overflowing only well past the byte limit', () => {
    const queue = new InputQueue<number>({ stanzas: 10, bytes: 1000 });
    queue.push(1, 1000 + OVERFLOW_BYTES);
    expect(queue.isOverflowing).toBe(false);
    queue.push(2, 1);
    expect(queue.isOverflowing).toBe(true);
  });

  test('keeps order across many pushes and shifts (front compaction)', () => {
    const queue = new InputQueue<number>({ stanzas: 1_000_000, bytes: 1e12 });
    const out: number[] = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 300; i++) queue.push(next++, 1);
      for (let i = 0; i < 250; i++) out.push(queue.shift()!);
    }
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) out.push(item);
    expect(out).toEqual(Array.from({ length: next }, (_, i) => i));
    expect(queue.bytes).toBe(0);
  });

  test('reports the peak since it was last asked', () => {
    const queue = new InputQueue<number>({ stanzas: 10, bytes: 1000 });
    queue.push(1, 300);
    queue.push(2, 300);
    queue.shift();
    expect(queue.takePeakBytes()).toBe(600);
    expect(queue.takePeakBytes()).toBe(300);
  });
});

describe('InputQueue: held stanzas (waiting for their archive commits while the stream goes on)', () => {
  test('count in both bounds with what waits, until let go; peek leaves the item', () => {
    const queue = new InputQueue<number>({ stanzas: 4, bytes: 1000 });
    queue.hold(10);
    queue.hold(10);
    queue.push(1, 10);
    expect(queue.isFull).toBe(false);
    queue.push(2, 10);
    expect(queue.isFull).toBe(true);
    expect(queue.held).toBe(2);
    expect(queue.peek()).toBe(1);
    expect(queue.length).toBe(2);
    queue.shift();
    expect(queue.hasRoom).toBe(false);
    queue.letGo(10);
    expect(queue.hasRoom).toBe(true);
    const bySize = new InputQueue<number>({ stanzas: 100, bytes: 1000 });
    bySize.hold(900);
    bySize.push(1, 100);
    expect(bySize.isFull).toBe(true);
    bySize.letGo(900);
    expect(bySize.isFull).toBe(false);
  });

  test('no more may be held at either limit; clearing what waits keeps them counted', () => {
    const queue = new InputQueue<number>({ stanzas: 2, bytes: 1000 });
    queue.hold(1);
    expect(queue.mayHold).toBe(true);
    queue.hold(1);
    expect(queue.mayHold).toBe(false);
    queue.push(1, 1);
    queue.clear();
    expect(queue.length).toBe(0);
    expect(queue.held).toBe(2);
    queue.letGo(1);
    expect(queue.mayHold).toBe(true);
    const bySize = new InputQueue<number>({ stanzas: 100, bytes: 1000 });
    bySize.hold(1000);
    expect(bySize.mayHold).toBe(false);
    expect(bySize.isOverflowing).toBe(false);
    bySize.push(1, OVERFLOW_BYTES + 1);
    expect(bySize.isOverflowing).toBe(true);
  });
});

describe('estimateElementBytes', () => {
  test('counts names, attributes, text and a fixed cost per element', () => {
    const element = parse("<message to='bob@localhost' type='chat'><body>hello</body></message>") as Element;
    const serialised = element.toString().length;
    const estimate = estimateElementBytes(element);
    expect(estimate).toBeGreaterThanOrEqual(serialised);
    expect(estimate).toBeLessThanOrEqual(serialised + 2 * ELEMENT_NODE_BYTES + 16);
  });

  test('grows with the text it holds', () => {
    const small = estimateElementBytes(parse('<iq><pad>x</pad></iq>') as Element);
    const large = estimateElementBytes(parse(`<iq><pad>${'x'.repeat(10_000)}</pad></iq>`) as Element);
    expect(large - small).toBe(9_999);
  });
});
