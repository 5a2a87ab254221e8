/**
 * Builds ltx elements straight from tokenizer events (no re-serialisation) and enforces the
 * depth and attribute limits while it does. Used for stanzas of a stream and for framed elements.
 */
import { Element } from 'ltx';
import { StreamError } from '../errors/index.js';
import type { StartTag } from './start-tag.js';
import type { XmlLimits } from './xml-limits.js';

/** True for a prefix that is declared by an attribute: `xml` is bound by definition, `xmlns` declares. */
function isBindablePrefix(prefix: string): boolean {
  return prefix !== 'xml' && prefix !== 'xmlns';
}

/** The attribute limit, which the stream root obeys too. */
export function checkAttributeCount(tag: StartTag, maxAttributes: number): StreamError | undefined {
  return tag.count > maxAttributes ? new StreamError('policy-violation', 'Too many XML attributes') : undefined;
}

/** One tree at a time: feed it tags and text in order; `close` hands back the finished tree. */
export class ElementBuilder {
  #maxDepth: number;
  #maxAttributes: number;
  #depth = 0;
  #top: Element | null = null;
  #current: Element | null = null;
  /** Nesting level (in the tokenizer's numbering) of the tree's top element. */
  #topLevel = 0;

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
  }

  /** A start tag: checks the limits, then the element joins the tree. */
  open(tag: StartTag): StreamError | undefined {
    if (this.#depth + 1 > this.#maxDepth) return new StreamError('policy-violation', 'XML nesting too deep');
    const error = checkAttributeCount(tag, this.#maxAttributes);
    if (error !== undefined) return error;
    this.#depth++;
    const element = new Element(tag.name);
    element.attrs = tag.attributes();
    const parent = this.#current;
    if (parent === null) {
      this.#top = element;
      this.#topLevel = tag.depth;
    } else {
      element.parent = parent;
      parent.children.push(element);
    }
    this.#current = element;
    this.#copyOuterBindings(tag);
    return undefined;
  }

  /** Character data inside the current element. */
  text(text: string): void {
    const current = this.#current;
    if (current === null) return;
    const children = current.children;
    const last = children.length - 1;
    const previous = children[last];
    // Adjacent runs (text around a CDATA section, or split input) become one node, as a re-parse would give.
    if (typeof previous === 'string') children[last] = previous + text;
    else children.push(text);
  }

  /** An end tag; returns the finished tree when its top element closed. */
  close(): Element | undefined {
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
  #copyOuterBindings(tag: StartTag): void {
    const topLevel = this.#topLevel;
    if (tag.boundAt >= 0 && tag.boundAt < topLevel) this.#bindOnTop(tag.name.slice(0, tag.colon), tag.uri);
    for (let i = 0; tag.prefixedCount > 0 && i < tag.count; i++) {
      if ((tag.colons[i] ?? -1) < 0) continue;
      const boundAt = tag.boundAts[i] ?? -1;
      if (boundAt < 0 || boundAt >= topLevel) continue;
      const colon = tag.colons[i] ?? 0;
      this.#bindOnTop((tag.names[i] ?? '').slice(0, colon), tag.uris[i] ?? '');
    }
  }

  #bindOnTop(prefix: string, uri: string): void {
    const top = this.#top;
    const attrName = `xmlns:${prefix}`;
    if (top === null || !isBindablePrefix(prefix) || Object.hasOwn(top.attrs, attrName)) return;
    (top.attrs as Record<string, string>)[attrName] = uri;
  }
}
