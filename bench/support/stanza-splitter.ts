/**
 * Cuts a server's XML stream into top-level elements without parsing XML: it only finds tag
 * boundaries. That is enough for what Salon writes (ltx serialisation and fixed strings): `<` and
 * `>` are always escaped in text and attribute values (XML 1.0 §2.4 requires it for `<`; ltx and
 * Salon escape `>` too), and there are no comments, CDATA sections or processing instructions after
 * the XML declaration. A load generator must stay cheaper than the server it measures, so nothing
 * here builds a tree.
 */
import { StringDecoder } from 'node:string_decoder';

export interface SplitterEvents {
  /** The `<stream:stream ...>` start tag. */
  onOpen(header: string): void;
  /** One complete top-level element, as it was sent. */
  onElement(xml: string, name: string): void;
  /** `</stream:stream>`. */
  onClose(): void;
}

const LT = 0x3c;
const SLASH = 0x2f;
const QUESTION = 0x3f;

export class StanzaSplitter {
  readonly #events: SplitterEvents;
  #decoder = new StringDecoder('utf8');
  #buffer = '';
  /** Where the next search for `<` starts. */
  #scan = 0;
  /** 0 before the stream header, 1 between top-level elements, more inside one. */
  #depth = 0;
  /** Start of the top-level element being read, or -1. */
  #start = -1;
  #name = '';
  /** Bumped by `reset`, so a reset from inside a callback stops the current scan. */
  #generation = 0;

  constructor(events: SplitterEvents) {
    this.#events = events;
  }

  /** Feeds bytes; a multibyte character split across chunks is kept until it is complete. */
  write(chunk: Buffer): void {
    this.#buffer += this.#decoder.write(chunk);
    this.#drain();
  }

  /** Text received but not consumed yet (part of an element, or whitespace between elements). */
  get pendingText(): string {
    return this.#buffer;
  }

  /** Forgets everything: a new stream follows (RFC 6120 §5.4.3.3 after TLS, §6.4.6 after SASL). */
  reset(): void {
    this.#generation++;
    this.#decoder = new StringDecoder('utf8');
    this.#buffer = '';
    this.#scan = 0;
    this.#depth = 0;
    this.#start = -1;
  }

  #drain(): void {
    const generation = this.#generation;
    const buffer = this.#buffer;
    let scan = this.#scan;
    while (generation === this.#generation) {
      const open = buffer.indexOf('<', scan);
      if (open === -1) {
        scan = buffer.length;
        break;
      }
      const close = buffer.indexOf('>', open + 1);
      if (close === -1) {
        scan = open;
        break;
      }
      scan = close + 1;
      this.#tag(buffer, open, close);
    }
    if (generation === this.#generation) this.#compact(buffer, scan);
  }

  /** Drops what was consumed so the buffer holds at most one partial element. */
  #compact(buffer: string, scan: number): void {
    const keep = this.#start >= 0 ? this.#start : scan;
    this.#buffer = keep > 0 ? buffer.slice(keep) : buffer;
    this.#scan = scan - keep;
    if (this.#start >= 0) this.#start = 0;
  }

  #tag(buffer: string, open: number, close: number): void {
    const second = buffer.charCodeAt(open + 1);
    if (second === QUESTION) return; // the XML declaration
    if (second === SLASH) return this.#endTag(buffer, close);
    if (this.#depth === 0) {
      this.#depth = 1;
      this.#events.onOpen(buffer.slice(open, close + 1));
      return;
    }
    if (this.#depth === 1) {
      this.#start = open;
      this.#name = tagName(buffer, open + 1, close);
    }
    if (buffer.charCodeAt(close - 1) === SLASH) {
      if (this.#depth === 1) this.#emit(buffer, close + 1);
      return;
    }
    this.#depth++;
  }

  #endTag(buffer: string, close: number): void {
    if (this.#depth <= 1) {
      this.#depth = 0;
      this.#events.onClose();
      return;
    }
    this.#depth--;
    if (this.#depth === 1) this.#emit(buffer, close + 1);
  }

  #emit(buffer: string, end: number): void {
    const xml = buffer.slice(this.#start, end);
    this.#start = -1;
    this.#events.onElement(xml, this.#name);
  }
}

function tagName(buffer: string, from: number, close: number): string {
  let end = from;
  while (end < close) {
    const code = buffer.charCodeAt(end);
    if (code === 0x20 || code === SLASH || code === 0x09 || code === 0x0a || code === 0x0d || code === LT) break;
    end++;
  }
  return buffer.slice(from, end);
}

/**
 * The value of an attribute of the start tag of `xml`, unescaped only for the five predefined
 * entities; undefined when absent. Looks only inside the first tag, never in children.
 */
export function attributeOf(xml: string, name: string): string | undefined {
  const tagEnd = xml.indexOf('>');
  const limit = tagEnd === -1 ? xml.length : tagEnd;
  let at = xml.indexOf(` ${name}=`, 0);
  if (at === -1 || at > limit) return undefined;
  at += name.length + 2;
  const quote = xml[at];
  if (quote !== '"' && quote !== "'") return undefined;
  const end = xml.indexOf(quote, at + 1);
  if (end === -1 || end > limit) return undefined;
  return unescape(xml.slice(at + 1, end));
}

/** The character data of an element without child elements (`<challenge>...</challenge>`). */
export function textOf(xml: string): string {
  const tagEnd = xml.indexOf('>');
  if (tagEnd === -1 || xml.charCodeAt(tagEnd - 1) === SLASH) return '';
  const endTag = xml.lastIndexOf('</');
  return endTag <= tagEnd ? '' : unescape(xml.slice(tagEnd + 1, endTag));
}

const ENTITIES: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };
const ENTITY = /&(?:amp|lt|gt|quot|apos);/g;

function unescape(text: string): string {
  return text.includes('&') ? text.replace(ENTITY, (entity) => ENTITIES[entity] ?? entity) : text;
}
