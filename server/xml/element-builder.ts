/**
 * Builds ltx elements straight from saxes events (no re-serialisation) and enforces the depth
 * and attribute limits while it does. Used for stanzas of a stream and for framed elements.
 */
import { Element } from 'ltx';
import type { SaxesTagNS } from 'saxes';
import { StreamError } from '../errors/index.js';
import type { XmlLimits } from './xml-limits.js';

/** What the builder reads of a saxes attribute event. */
export interface AttributeEvent {
  name: string;
  prefix: string;
  value: string;
}

/** True for a prefix that must be declared: `xml` is bound by definition, `xmlns` declares. */
function isBindablePrefix(prefix: string): boolean {
  return prefix !== '' && prefix !== 'xml' && prefix !== 'xmlns';
}

/** Whether `xmlns:<prefix>` is declared on `element` or an ancestor inside the tree being built. */
function isDeclaredWithin(element: Element, attrName: string): boolean {
  for (let el: Element | null = element; el !== null; el = el.parent) {
    if (Object.hasOwn(el.attrs, attrName)) return true;
  }
  return false;
}

/** One tree at a time: feed it saxes events in order; `closeElement` hands back the finished tree. */
export class ElementBuilder {
  #maxDepth: number;
  #maxAttributes: number;
  #depth = 0;
  #top: Element | null = null;
  #current: Element | null = null;
  #attrs: Record<string, string> = {};
  #attrCount = 0;
  #hasPrefixedAttr = false;

  constructor(limits: XmlLimits) {
    this.#maxDepth = limits.maxDepth;
    this.#maxAttributes = limits.maxAttributes;
  }

  /** Elements open in the tree being built; 0 between trees. */
  get depth(): number {
    return this.#depth;
  }

  setLimits(limits: Pick<XmlLimits, 'maxDepth' | 'maxAttributes'>): void {
    this.#maxDepth = limits.maxDepth;
    this.#maxAttributes = limits.maxAttributes;
  }

  /** Drops any partial tree. */
  reset(): void {
    this.#depth = 0;
    this.#top = null;
    this.#current = null;
    this.#attrCount = 0;
  }

  /** A start tag begins whose element is not built (the stream root): only its attributes are kept. */
  beginAttributes(): void {
    this.#attrs = {};
    this.#attrCount = 0;
    this.#hasPrefixedAttr = false;
  }

  /** A start tag of an element to build begins (saxes `opentagstart`): checks the depth limit early. */
  beginElement(): StreamError | undefined {
    if (++this.#depth > this.#maxDepth) return new StreamError('policy-violation', 'XML nesting too deep');
    this.beginAttributes();
    return undefined;
  }

  /** One attribute of the current start tag, as written. */
  addAttribute(attr: AttributeEvent): StreamError | undefined {
    if (++this.#attrCount > this.#maxAttributes) {
      return new StreamError('policy-violation', 'Too many XML attributes');
    }
    if (attr.name === '__proto__') {
      // A plain assignment would set the prototype instead of recording the attribute.
      Object.defineProperty(this.#attrs, attr.name, { value: attr.value, enumerable: true, writable: true, configurable: true });
    } else {
      this.#attrs[attr.name] = attr.value;
    }
    if (isBindablePrefix(attr.prefix)) this.#hasPrefixedAttr = true;
    return undefined;
  }

  /** The attributes collected since `beginAttributes`, for a start tag that builds no element. */
  takeAttributes(): Record<string, string> {
    return this.#attrs;
  }

  /** The start tag is complete (saxes `opentag`): the element joins the tree. */
  openElement(tag: SaxesTagNS): void {
    const element = new Element(tag.name);
    element.attrs = this.#attrs;
    const parent = this.#current;
    if (parent === null) {
      this.#top = element;
    } else {
      element.parent = parent;
      parent.children.push(element);
    }
    this.#current = element;
    if (isBindablePrefix(tag.prefix) || this.#hasPrefixedAttr) this.#copyOuterBindings(tag, element);
  }

  /** Character data (entity-decoded by saxes) inside the current element. */
  text(text: string): void {
    const current = this.#current;
    if (current === null) return;
    const children = current.children;
    const last = children.length - 1;
    const previous = children[last];
    // Adjacent runs (text around a CDATA section) become one node, as a re-parse would give.
    if (typeof previous === 'string') children[last] = previous + text;
    else children.push(text);
  }

  /** An end tag (saxes `closetag`); returns the finished tree when its top element closed. */
  closeElement(): Element | undefined {
    const element = this.#current;
    if (element === null) return undefined;
    this.#current = element.parent;
    this.#depth--;
    if (this.#current !== null) return undefined;
    this.#top = null;
    return element;
  }

  /**
   * A prefix bound only outside the tree (on the stream root, e.g. `stream:` of `<stream:error>`)
   * is declared again on the top element, so the tree serialises on its own.
   */
  #copyOuterBindings(tag: SaxesTagNS, element: Element): void {
    if (isBindablePrefix(tag.prefix)) this.#bindOnTop(element, tag.prefix, tag.uri);
    if (!this.#hasPrefixedAttr) return;
    for (const name in tag.attributes) {
      const attr = tag.attributes[name];
      if (attr !== undefined && isBindablePrefix(attr.prefix)) this.#bindOnTop(element, attr.prefix, attr.uri);
    }
  }

  #bindOnTop(element: Element, prefix: string, uri: string): void {
    const attrName = `xmlns:${prefix}`;
    const top = this.#top;
    if (top === null || isDeclaredWithin(element, attrName)) return;
    (top.attrs as Record<string, string>)[attrName] = uri;
  }
}
