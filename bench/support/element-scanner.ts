/**
 * Finds the top-level elements of a server's output without decoding UTF-8, cutting a string per
 * element or building anything: at the rates the fan-out scenarios reach (several hundred thousand
 * stanzas a second), decoding and slicing every stanza made the load generator the bottleneck it
 * must not be.
 *
 * Each chunk is read as latin1 text, one character per byte (a plain copy, no validation), so
 * positions are byte offsets and V8's string search does the scanning. An element's start tag
 * ends at the first `>`; the element ends there when the tag is empty (`/>`), else at the first
 * `</name>` after it. That holds for what the scenarios exchange once logged in (messages and
 * presences that contain no element of their own name, so no forwarded messages): `<` and `>`
 * are escaped in text and attribute values by every server measured (see `stanza-splitter.ts`).
 * Attribute values are reported as ranges of the latin1 text, entities not decoded.
 */

const GT = 0x3e;
const SLASH = 0x2f;

/** The element just found. One instance is reused for every element: read it inside the callback. */
export class ScannedElement {
  /** The text (latin1: one character per byte) the element lies in; valid during the callback only. */
  source = '';
  /** Offset of its `<`. */
  start = 0;
  /** Offset just past its name. */
  nameEnd = 0;
  /** Offset of the `>` that ends its start tag. */
  tagEnd = 0;
  /** Offset just past the element. */
  end = 0;
  /** The value found by the last successful `attribute` call: `source[valueStart, valueEnd)`. */
  valueStart = 0;
  valueEnd = 0;

  /** True when the element's name is exactly `name` (ASCII). */
  is(name: string): boolean {
    return this.nameEnd - this.start - 1 === name.length && this.source.startsWith(name, this.start + 1);
  }

  /**
   * Finds attribute `name` (ASCII) in the start tag; on success sets `valueStart`/`valueEnd`.
   * Expects `name="value"` or `name='value'` without spaces around `=`, as servers write them.
   */
  attribute(name: string): boolean {
    const source = this.source;
    const tagEnd = this.tagEnd;
    let at = this.nameEnd;
    for (;;) {
      const equals = source.indexOf('=', at);
      if (equals === -1 || equals > tagEnd) return false;
      const quote = source.charCodeAt(equals + 1) === 0x22 ? '"' : "'";
      const valueEnd = source.indexOf(quote, equals + 2);
      if (valueEnd === -1 || valueEnd > tagEnd) return false;
      const nameStart = equals - name.length;
      if (isSpace(source.charCodeAt(nameStart - 1)) && source.startsWith(name, nameStart)) {
        this.valueStart = equals + 2;
        this.valueEnd = valueEnd;
        return true;
      }
      at = valueEnd + 1;
    }
  }

  /** True when attribute `name` is present with exactly the value `value` (ASCII, as written). */
  attributeEquals(name: string, value: string): boolean {
    return this.attribute(name) && this.valueEnd - this.valueStart === value.length && this.source.startsWith(value, this.valueStart);
  }

  /** The whole element, decoded, for error reports. */
  text(): string {
    return Buffer.from(this.source.slice(this.start, this.end), 'latin1').toString('utf8');
  }
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

function isNameEnd(code: number): boolean {
  return isSpace(code) || code === GT || code === SLASH;
}

/** End tags of the names met so far (a handful: message, presence, iq, …), so none is built per element. */
const END_TAGS: { name: string; tag: string }[] = [];
const END_TAG_CACHE_LIMIT = 32;

function endTagOf(source: string, start: number, nameEnd: number): string {
  const length = nameEnd - start - 1;
  for (const { name, tag } of END_TAGS) if (name.length === length && source.startsWith(name, start + 1)) return tag;
  const name = source.slice(start + 1, nameEnd);
  const tag = `</${name}>`;
  if (END_TAGS.length < END_TAG_CACHE_LIMIT) END_TAGS.push({ name, tag });
  return tag;
}

export class ElementScanner {
  readonly #onElement: (element: ScannedElement) => void;
  readonly #element = new ScannedElement();
  /** The start of an element whose end has not arrived yet (latin1). */
  #carry = '';

  constructor(onElement: (element: ScannedElement) => void) {
    this.#onElement = onElement;
  }

  /** Feeds bytes; an element split across chunks is reported once its end has arrived. */
  write(chunk: Buffer): void {
    const source = this.#carry + chunk.toString('latin1');
    const element = this.#element;
    element.source = source;
    let at = 0;
    while (at < source.length) {
      // Elements usually follow each other directly: no search needed.
      const start = source.charCodeAt(at) === 0x3c ? at : source.indexOf('<', at);
      if (start === -1) {
        at = source.length;
        break;
      }
      const end = this.#find(source, start);
      if (end === -1) {
        at = start;
        break;
      }
      at = end;
      this.#onElement(element);
    }
    this.#carry = at < source.length ? source.slice(at) : '';
  }

  /** Fills in the element starting at `start`; returns its end, or -1 when it is incomplete. */
  #find(source: string, start: number): number {
    const tagEnd = source.indexOf('>', start + 1);
    if (tagEnd === -1) return -1;
    let nameEnd = start + 1;
    // An end tag at the top (`</stream:stream>`) is reported as an element of its own.
    if (source.charCodeAt(nameEnd) === SLASH) nameEnd = tagEnd;
    while (nameEnd < tagEnd && !isNameEnd(source.charCodeAt(nameEnd))) nameEnd++;
    let end: number;
    if (source.charCodeAt(tagEnd - 1) === SLASH || source.charCodeAt(start + 1) === SLASH) {
      end = tagEnd + 1;
    } else {
      const endTag = endTagOf(source, start, nameEnd);
      const found = source.indexOf(endTag, tagEnd + 1);
      if (found === -1) return -1;
      end = found + endTag.length;
    }
    const element = this.#element;
    element.start = start;
    element.nameEnd = nameEnd;
    element.tagEnd = tagEnd;
    element.end = end;
    return end;
  }
}
