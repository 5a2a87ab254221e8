/**
 * Builds ltx elements straight from tokenizer events (no re-serialisation) and enforces the
 * depth and attribute limits while it does. Used for stanzas of a stream and for framed elements.
 *
 * Trees come out in canonical form (DESIGN.md §1): every name is a local name, the namespace is
 * stated in `xmlns` on the top element (unless it has none) and wherever it changes from the
 * parent's (`xmlns=''` for a change to none), and no prefix declaration is left (attributes: see
 * `canonical-attributes.ts`). Code above may then match on `name` and `attrs.xmlns` and copy any
 * subtree elsewhere without leaving a prefix undeclared. An unprefixed element costs what it did
 * before: its name is the string read, and its attributes are one object, as they always were.
 */
import { Element } from 'ltx';
import { StreamError } from '../errors/index.js';
import { canonicalAttributes } from './canonical-attributes.js';
import type { StartTag } from './start-tag.js';
import type { XmlLimits } from './xml-limits.js';

/** The attribute limit, which the stream root obeys too. */
export function checkAttributeCount(tag: StartTag, maxAttributes: number): StreamError | undefined {
  return tag.count > maxAttributes ? new StreamError('policy-violation', 'Too many XML attributes') : undefined;
}

/** One tree at a time: feed it tags and text in order; `close` hands back the finished tree. */
export class ElementBuilder {
  #maxDepth: number;
  #maxAttributes: number;
  #depth = 0;
  #current: Element | null = null;
  /** Namespace of each open element of the tree, by depth in the tree. */
  readonly #uris: string[] = [];

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
    this.#current = null;
  }

  /** A start tag: checks the limits, then the element joins the tree. */
  open(tag: StartTag): StreamError | undefined {
    if (this.#depth + 1 > this.#maxDepth) return new StreamError('policy-violation', 'XML nesting too deep');
    const error = checkAttributeCount(tag, this.#maxAttributes);
    if (error !== undefined) return error;
    const depth = this.#depth++;
    const uri = tag.uri;
    // The top element states its namespace (none is a document's default); below it, a change does.
    const xmlns = depth === 0 ? (uri === '' ? undefined : uri) : this.#uris[depth - 1] !== uri ? uri : undefined;
    this.#uris[depth] = uri;
    const element = new Element(tag.local);
    element.attrs = canonicalAttributes(tag, xmlns);
    const parent = this.#current;
    if (parent !== null) {
      element.parent = parent;
      parent.children.push(element);
    }
    this.#current = element;
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
    return this.#current === null ? element : undefined;
  }
}
