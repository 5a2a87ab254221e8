/** Records what an XmlStreamParser reports, for the parser's unit tests. */
import { expect } from '@jest/globals';
import type { Element } from 'ltx';
import type { StreamError } from '../../server/errors/index.js';
import { NS, XmlStreamParser, type StreamOpen, type XmlLimits } from '../../server/xml/index.js';

export const LIMITS: XmlLimits = { maxStanzaBytes: 10_000, maxDepth: 10, maxAttributes: 20 };
export const HEADER = `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='${NS.stream}' to='example.com' version='1.0'>`;

export type StreamEvent =
  | { kind: 'open'; open: StreamOpen }
  | { kind: 'stanza'; element: Element; uri: string; local: string }
  | { kind: 'close' }
  | { kind: 'error'; error: StreamError };

export function setup(limits: XmlLimits = LIMITS, onStanza?: (parser: XmlStreamParser, element: Element) => void) {
  const events: StreamEvent[] = [];
  const parser: XmlStreamParser = new XmlStreamParser({
    onStreamOpen: (open) => events.push({ kind: 'open', open }),
    onStanza: (element, uri, local) => {
      events.push({ kind: 'stanza', element, uri, local });
      onStanza?.(parser, element);
    },
    onStreamClose: () => events.push({ kind: 'close' }),
    onError: (error) => events.push({ kind: 'error', error }),
  }, limits);
  const stanzas = () => events.flatMap((e) => (e.kind === 'stanza' ? [e.element] : []));
  const errors = () => events.flatMap((e) => (e.kind === 'error' ? [e.error] : []));
  return { parser, events, stanzas, errors };
}

/** Parses a whole stream given as one string and returns the only error, if any. */
export function errorOf(xml: string, limits: XmlLimits = LIMITS): StreamError | undefined {
  const { parser, errors } = setup(limits);
  parser.write(xml);
  expect(errors().length).toBeLessThanOrEqual(1);
  return errors()[0];
}
