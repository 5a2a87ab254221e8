/**
 * Differential tests: Salon's XML input path against saxes (see test/helpers/saxes-oracle.ts) on
 * thousands of seeded random XMPP-like documents and mutations of them, fed whole and in random
 * chunks (as bytes and as strings). Both must accept or refuse the same inputs, and accepted
 * inputs must give the same trees.
 */
import { describe, expect, test } from '@jest/globals';
import { parseXmlFragment, XmlStreamParser, type XmlLimits } from '../../server/xml/index.js';
import { parseWithSaxes, type OracleResult } from '../helpers/saxes-oracle.js';
import { hasPaddedNamespace, mutate, Random, randomChunks, randomElement } from '../helpers/xml-fuzz.js';

const LIMITS: XmlLimits = { maxStanzaBytes: 1_000_000, maxDepth: 1000, maxAttributes: 1000 };
const STREAM_NS = 'http://etherx.jabber.org/streams';
const CASES = 2500;

interface Mismatch {
  input: string;
  expected: OracleResult;
  actual: OracleResult;
}

function header(rng: Random): string {
  const declaration = rng.chance(0.5) ? "<?xml version='1.0' encoding='UTF-8'?>" : '';
  return `${declaration}<stream:stream xmlns='jabber:client' xmlns:stream='${STREAM_NS}' xmlns:foo='urn:foo' to='example.com' version='1.0'>`;
}

/** A stream of one to four stanzas, possibly mutated, ending with the root's end tag. */
function randomStream(rng: Random): string {
  let stanzas = '';
  for (let n = 1 + rng.int(4); n > 0; n--) {
    stanzas += randomElement(rng, 3, { prefixes: ['stream', 'foo'] }) + (rng.chance(0.3) ? ' \n' : '');
  }
  return `${header(rng)}${mutate(rng, stanzas)}</stream:stream>`;
}

function runStream(chunks: (Buffer | string)[]): OracleResult {
  const result: OracleResult = { trees: [], names: [], accepted: false };
  let closed = false;
  let failed = false;
  const parser = new XmlStreamParser({
    onStreamOpen: () => undefined,
    onStanza: (element, uri, local) => {
      result.trees.push(element.toString());
      result.names.push(`{${uri}}${local}`);
    },
    onStreamClose: () => { closed = true; },
    onError: () => { failed = true; },
  }, LIMITS);
  for (const chunk of chunks) parser.write(chunk);
  result.accepted = closed && !failed;
  return result;
}

function runFragment(text: string): OracleResult {
  const result = parseXmlFragment(text, LIMITS);
  if (!result.ok) return { trees: [], names: [], accepted: false };
  const { element, uri, local } = result.value;
  return { trees: [element.toString()], names: [`{${uri}}${local}`], accepted: true };
}

/** Compares and records a mismatch; returns whether the case was compared at all. */
function compare(input: string, expected: OracleResult, actual: OracleResult, mismatches: Mismatch[], isStream = true): boolean {
  if (hasPaddedNamespace(input)) return false;
  // A refused element gives nothing; a refused stream still gives the stanzas before the problem.
  const isSame = actual.accepted === expected.accepted
    && (!(expected.accepted || isStream) || JSON.stringify(actual) === JSON.stringify(expected));
  if (!isSame) mismatches.push({ input, expected, actual });
  return true;
}

function report(mismatches: Mismatch[]): string {
  return mismatches.slice(0, 3).map((m) => JSON.stringify(m, null, 1)).join('\n');
}

describe('stream parser against saxes', () => {
  test(`${CASES} random streams, fed as byte chunks and as string chunks`, () => {
    const rng = new Random(0x5a10);
    const mismatches: Mismatch[] = [];
    let compared = 0;
    let accepted = 0;
    for (let i = 0; i < CASES; i++) {
      const text = randomStream(rng);
      const bytes = Buffer.from(text);
      // Buffer.from replaces lone surrogates, so the byte case is judged on what the bytes say.
      const expectedBytes = parseWithSaxes(bytes.toString(), true);
      if (compare(text, expectedBytes, runStream(randomChunks(rng, bytes)), mismatches)) compared++;
      const expected = parseWithSaxes(text, true);
      compare(text, expected, runStream(randomChunks(rng, text)), mismatches);
      if (expected.accepted) accepted++;
    }
    expect(report(mismatches)).toBe('');
    expect(compared).toBeGreaterThan(CASES * 0.97);
    // The mix must exercise both outcomes substantially.
    expect(accepted).toBeGreaterThan(CASES * 0.25);
    expect(accepted).toBeLessThan(CASES * 0.75);
  });

  test('every split into two chunks, bytes and strings, gives the same result as one write', () => {
    const rng = new Random(0xc0ffee);
    const mismatches: Mismatch[] = [];
    for (let i = 0; i < 16; i++) {
      const text = randomStream(rng);
      const expected = parseWithSaxes(text, true);
      if (hasPaddedNamespace(text)) continue;
      const bytes = Buffer.from(text);
      const expectedBytes = parseWithSaxes(bytes.toString(), true);
      for (let cut = 1; cut < bytes.length; cut++) {
        compare(text, expectedBytes, runStream([bytes.subarray(0, cut), bytes.subarray(cut)]), mismatches);
      }
      for (let cut = 1; cut < text.length; cut++) {
        compare(text, expected, runStream([text.slice(0, cut), text.slice(cut)]), mismatches);
      }
      compare(text, expectedBytes, runStream([...bytes].map((byte) => Buffer.from([byte]))), mismatches);
    }
    expect(report(mismatches)).toBe('');
  });
});

describe('fragment parser against saxes', () => {
  test(`${CASES} random elements`, () => {
    const rng = new Random(0xf4a6);
    const mismatches: Mismatch[] = [];
    let accepted = 0;
    for (let i = 0; i < CASES; i++) {
      const prolog = rng.chance(0.2) ? "<?xml version='1.0'?>" : '';
      const text = mutate(rng, `${prolog}${rng.chance(0.2) ? '\n' : ''}${randomElement(rng, 3)}${rng.chance(0.2) ? ' ' : ''}`);
      const expected = parseWithSaxes(text, false);
      compare(text, expected, runFragment(text), mismatches, false);
      if (expected.accepted) accepted++;
    }
    expect(report(mismatches)).toBe('');
    expect(accepted).toBeGreaterThan(CASES * 0.25);
    expect(accepted).toBeLessThan(CASES * 0.75);
  });
});
