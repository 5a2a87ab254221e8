/**
 * Seeded generation of XMPP-like XML for differential tests: random element trees with
 * namespaces, prefixes, both quote styles, odd whitespace, references, CDATA, line breaks and
 * multibyte text, random mutations that break them in the ways peers do, and random chunking.
 */

/** mulberry32: small, fast and deterministic for a given seed. */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(bound: number): number {
    return Math.floor(this.next() * bound);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }
}

const LOCAL_NAMES = ['message', 'body', 'x', 'item', 'query', 'presence', 'iq', 'thread', 'a', 'b-c.d', '_e1', 'é', 'ñame', '名前', 'x\u0300y', '\u{10000}z'];
const ATTRIBUTE_NAMES = ['to', 'from', 'id', 'type', 'xml:lang', 'a', 'b', 'é', 'k'];
const TEXT_PIECES = ['hello', ' ', 'wörld', '€', '😀', '中文', '&amp;', '&lt;', '&gt;', '&quot;', '&apos;', '&#65;', '&#x1F600;',
  '&#233;', '&#13;', '&#10;', '\r\n', '\r', '\n', '\t', '>', ']', ']]', '] ]>', '<![CDATA[ <raw> & ]] ]]>', '<![CDATA[]]>',
  '<![CDATA[a\r\nb]]]>', "'", '"'];
const VALUE_PIECES = ['v', 'bob@example.com/phone', ' ', '€', '😀', '&amp;', '&lt;', '&#9;', '&#x20;', '\t', '\n', '\r\n', '\r',
  '>', ']]>', '&quot;', '&apos;', "'", '"'];
const SPACES = [' ', ' ', ' ', '\n', '\t', '\r\n', '  '];
const URIS = ['urn:a', 'urn:b', 'jabber:x:data', 'http://jabber.org/protocol/chatstates'];
/** Snippets inserted by mutations: each breaks a rule, or may, depending on where it lands. */
const SNIPPETS = ['<', '&', "'", '"', '>', '/', '=', ']]>', 'zz:', ' zz:a="1"', ' id="1" id="2"', '\u0001', '\u0000', '\u000b',
  '\uFFFE', '\uFFFF', '\uD800', '\uDC00', '<!DOCTYPE x>', '<!DOCTYPE x [<!ENTITY e "v">]>', '<!ENTITY e "v">', '<?pi x?>',
  '<?xml version="1.0"?>', '<!-- c -->', '&nbsp;', '&e;', '&#0;', '&#x110000;', '&#xD800;', '&#X41;', '&#;', ' xmlns:xml="urn:bad"',
  ' xmlns:p=""', ' xmlns:xmlns="urn:x"', ' xmlns="http://www.w3.org/XML/1998/namespace"', '\r', '\r\n', '<![CDATA[', '</x>', '<x>',
  ' ', 'é', '😀', ':', '1', '-', '<p:x/>', ' xml:lang="en"', '&amp', '&#65', '<!-', '<!--'];

interface Scope {
  prefixes: string[];
}

function pickName(rng: Random, scope: Scope): string {
  const local = rng.pick(LOCAL_NAMES);
  return scope.prefixes.length > 0 && rng.chance(0.3) ? `${rng.pick(scope.prefixes)}:${local}` : local;
}

function attributeValue(rng: Random): string {
  const quote = rng.chance(0.5) ? "'" : '"';
  let value = '';
  for (let n = rng.int(4); n > 0; n--) {
    const piece = rng.pick(VALUE_PIECES);
    if (piece !== quote) value += piece;
  }
  return `${quote}${value}${quote}`;
}

function equals(rng: Random): string {
  return rng.chance(0.8) ? '=' : `${rng.pick(SPACES)}=${rng.pick(SPACES)}`;
}

/** Declarations and attributes of one start tag; may declare prefixes into `scope`. */
function attributes(rng: Random, scope: Scope): string {
  let out = '';
  if (rng.chance(0.3)) out += ` xmlns${equals(rng)}'${rng.pick(URIS)}'`;
  if (rng.chance(0.25)) {
    const prefix = rng.pick(['p', 'q', 'r']);
    out += ` xmlns:${prefix}${equals(rng)}"${rng.pick(URIS)}"`;
    if (!scope.prefixes.includes(prefix)) scope.prefixes.push(prefix);
  }
  const used = new Set<string>();
  for (let n = rng.int(4); n > 0; n--) {
    const name = scope.prefixes.length > 0 && rng.chance(0.2) ? `${rng.pick(scope.prefixes)}:k` : rng.pick(ATTRIBUTE_NAMES);
    if (used.has(name)) continue;
    used.add(name);
    out += `${rng.pick(SPACES)}${name}${equals(rng)}${attributeValue(rng)}`;
  }
  // Namespaces in XML 1.0 §6.3: the same attribute under two prefixes for one namespace.
  if (rng.chance(0.02)) out += " xmlns:d1='urn:same' xmlns:d2='urn:same' d1:w='1' d2:w='2'";
  return out + (rng.chance(0.2) ? rng.pick(SPACES) : '');
}

/** A random element; `scope` lists the prefixes declared on its ancestors. */
export function randomElement(rng: Random, depth: number, outer: Scope = { prefixes: [] }): string {
  const scope: Scope = { prefixes: [...outer.prefixes] };
  const attrs = attributes(rng, scope);
  const name = pickName(rng, scope);
  if (rng.chance(0.25)) return `<${name}${attrs}/>`;
  let content = '';
  for (let n = rng.int(4); n > 0; n--) {
    content += depth > 0 && rng.chance(0.45) ? randomElement(rng, depth - 1, scope) : rng.pick(TEXT_PIECES);
  }
  return `<${name}${attrs}>${content}</${name}${rng.chance(0.1) ? rng.pick(SPACES) : ''}>`;
}

/** Applies zero to three random mutations. */
export function mutate(rng: Random, text: string): string {
  let out = text;
  for (let n = rng.chance(0.35) ? 0 : 1 + rng.int(3); n > 0; n--) {
    const at = rng.int(out.length + 1);
    const kind = rng.int(5);
    if (kind <= 1) out = out.slice(0, at) + rng.pick(SNIPPETS) + out.slice(at);
    else if (kind === 2) out = out.slice(0, at) + out.slice(at + 1 + rng.int(3));
    else if (kind === 3) out = out.slice(0, at) + out.slice(at, at + 1 + rng.int(10)) + out.slice(at);
    else out = out.slice(0, at) + String.fromCharCode(rng.int(0x80)) + out.slice(at + 1);
  }
  return out;
}

/** Splits `input` at 0 to 8 random places. */
export function randomChunks<T extends string | Buffer>(rng: Random, input: T): T[] {
  const cuts = new Set<number>();
  for (let n = rng.int(9); n > 0; n--) cuts.add(1 + rng.int(Math.max(1, input.length - 1)));
  const sorted = [...cuts].sort((a, b) => a - b);
  const chunks: T[] = [];
  let start = 0;
  for (const cut of [...sorted, input.length]) {
    if (cut > start) chunks.push(input.slice(start, cut) as T);
    start = cut;
  }
  return chunks;
}

/**
 * Namespace declarations whose value has whitespace at either end: saxes trims them, while a
 * namespace name is the attribute value as it is (Namespaces in XML 1.0 §2.2). Not compared.
 */
export function hasPaddedNamespace(text: string): boolean {
  return /xmlns(?::[^\s=]*)?\s*=\s*(?:'(?:\s[^']*|[^']*\s)'|"(?:\s[^"]*|[^"]*\s)")/.test(text);
}
