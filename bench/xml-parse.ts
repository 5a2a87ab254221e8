/**
 * Throughput of the XML input path: a client stream of typical ~300-byte chat messages, fed as
 * 16 KiB Buffer chunks to XmlStreamParser, and the same messages one by one to parseXmlFragment
 * (the WebSocket path). Run: npx jiti bench/xml-parse.ts [messages]
 * Under jiti (which transforms the modules as it loads them) the figures come out at about a third
 * of the compiled build's: for figures to compare, compile this file with tsc and run it with node.
 */
import type { Element } from 'ltx';
import { parseXmlFragment, XmlStreamParser, type XmlLimits } from '../server/xml/index.js';

const LIMITS: XmlLimits = { maxStanzaBytes: 256 * 1024, maxDepth: 32, maxAttributes: 64 };
const CHUNK_BYTES = 16 * 1024;
const HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0'>";

function message(i: number): string {
  return `<message xmlns='jabber:client' to='bob@example.com/phone' from='alice@example.com/laptop' type='chat' id='m-${i}'>`
    + `<body>Hello Bob, message number ${i}: are we still on for lunch &amp; coffee at noon? \u2615</body>`
    + "<active xmlns='http://jabber.org/protocol/chatstates'/><request xmlns='urn:xmpp:receipts'/></message>";
}

function chunks(buffer: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += CHUNK_BYTES) out.push(buffer.subarray(i, i + CHUNK_BYTES));
  return out;
}

function runStream(input: Buffer[]): number {
  let count = 0;
  const parser = new XmlStreamParser({
    onStreamOpen: () => undefined,
    onStanza: (_element: Element) => { count++; },
    onStreamClose: () => undefined,
    onError: (error) => { throw error; },
  }, LIMITS);
  for (const chunk of input) parser.write(chunk);
  return count;
}

function runFragments(messages: string[]): number {
  let count = 0;
  for (const text of messages) if (parseXmlFragment(text, LIMITS).ok) count++;
  return count;
}

/**
 * Reports the best of several rounds (wall clock) and the rate per second of CPU time over all
 * rounds: on a shared machine the latter shows what the code costs, whatever else runs.
 */
function measure(label: string, bytes: number, run: () => number): void {
  run(); // warm-up
  const rounds = 7;
  let stanzas = 0;
  let best = Infinity;
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    stanzas = run();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6 / rounds;
  const rate = (seconds: number) => `${(bytes / 1e6 / seconds).toFixed(1)} MB/s, ${Math.round(stanzas / seconds).toLocaleString('en')} stanzas/s`;
  console.log(`${label}: best round ${rate(best)}; per CPU second ${rate(cpuSeconds)}`);
}

const count = Number(process.argv[2] ?? 20_000);
const messages = Array.from({ length: count }, (_, i) => message(i));
const stream = Buffer.from(HEADER + messages.join(''));
console.log(`${count} messages, ${Math.round((stream.length - HEADER.length) / count)} bytes each on average`);
measure('XmlStreamParser, 16 KiB chunks', stream.length, () => runStream(chunks(stream)));
measure('parseXmlFragment, one call per message', stream.length - HEADER.length, () => runFragments(messages));
