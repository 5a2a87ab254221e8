import { XmlStreamParser } from '../../server/xml/index.js';
import { parseWithSaxes } from '../helpers/saxes-oracle.js';
import { mutate, Random, randomChunks, randomElement } from '../helpers/xml-fuzz.js';
const rng = new Random(1);
const docs: string[] = [];
for (let i = 0; i < 2500; i++) {
  let st = ''; for (let n = 1 + rng.int(4); n > 0; n--) st += randomElement(rng, 3, { prefixes: ['stream', 'foo'] });
  docs.push(`<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' xmlns:foo='urn:foo'>${mutate(rng, st)}</stream:stream>`);
}
console.log('avg len', docs.reduce((a, d) => a + d.length, 0) / docs.length);
let t = Date.now();
for (const d of docs) parseWithSaxes(d, true);
console.log('saxes', Date.now() - t);
t = Date.now();
for (const d of docs) { const p = new XmlStreamParser({ onStreamOpen() {}, onStanza(e) { e.toString(); }, onStreamClose() {}, onError() {} }, { maxStanzaBytes: 1e6, maxDepth: 1000, maxAttributes: 1000 }); for (const c of randomChunks(rng, Buffer.from(d))) p.write(c); }
console.log('ours', Date.now() - t);
