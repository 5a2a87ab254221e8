import { describe, expect, test } from '@jest/globals';
import { joinParts, OutputBatch } from '../../server/net/output-batch.js';
import { outboundText } from '../../server/session/index.js';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function recorder(): { batch: OutputBatch; chunks: (string | Buffer)[] } {
  const chunks: (string | Buffer)[] = [];
  return { batch: new OutputBatch((chunk) => chunks.push(chunk)), chunks };
}

describe('joinParts', () => {
  test('encodes text and copies bytes into one buffer, multibyte characters included', () => {
    const parts = ['<a>caf\u00e9</a>', Buffer.from('<b>\u2615'), Buffer.from('</b>'), '<c>\ud83d\ude00 &amp;</c>'];
    expect(joinParts(parts).toString('utf8')).toBe('<a>caf\u00e9</a><b>\u2615</b><c>\ud83d\ude00 &amp;</c>');
  });
});

describe('outboundText', () => {
  test('gives text back as it is and decodes pieces, even when a character is split between two', () => {
    expect(outboundText('<presence/>')).toBe('<presence/>');
    const bytes = Buffer.from('<message><body>\u2615</body></message>');
    const split = bytes.indexOf(0xe2) + 1; // inside the three bytes of U+2615
    expect(outboundText([bytes.subarray(0, split), bytes.subarray(split)])).toBe('<message><body>\u2615</body></message>');
    expect(outboundText([bytes.subarray(3)])).toBe('ssage><body>\u2615</body></message>');
  });
});

describe('OutputBatch', () => {
  test('sends everything added in one turn as one chunk after the turn', async () => {
    const { batch, chunks } = recorder();
    batch.add('<one/>');
    batch.add('<two/>');
    expect(chunks).toEqual([]);
    expect(batch.length).toBe(12);
    await nextTurn();
    expect(chunks).toEqual(['<one/><two/>']);
    expect(batch.length).toBe(0);
  });

  test('mixes text and shared pieces into one buffer, in order', async () => {
    const { batch, chunks } = recorder();
    const head = Buffer.from('<message');
    const rest = Buffer.from('><body>\u00e9</body></message>');
    batch.add('<presence/>');
    batch.add([head, Buffer.from(' to="a@b/c"'), rest]);
    batch.add([head, Buffer.from(' to="d@b/e"'), rest]);
    expect(batch.length).toBe(11 + 2 * (head.length + 11 + rest.length));
    await nextTurn();
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.toString()).toBe('<presence/><message to="a@b/c"><body>\u00e9</body></message><message to="d@b/e"><body>\u00e9</body></message>');
  });

  test('flush sends at once and later output waits for its own turn; clear drops what waits', async () => {
    const { batch, chunks } = recorder();
    batch.add('<a/>');
    batch.flush();
    expect(chunks).toEqual(['<a/>']);
    batch.add('<b/>');
    await nextTurn();
    expect(chunks).toEqual(['<a/>', '<b/>']);
    batch.add('<c/>');
    batch.clear();
    await nextTurn();
    expect(chunks).toEqual(['<a/>', '<b/>']);
  });

  test('several batches written in one turn are all flushed after it', async () => {
    const first = recorder();
    const second = recorder();
    first.batch.add('<x/>');
    second.batch.add('<y/>');
    first.batch.add('<z/>');
    await nextTurn();
    expect(first.chunks).toEqual(['<x/><z/>']);
    expect(second.chunks).toEqual(['<y/>']);
  });
});
