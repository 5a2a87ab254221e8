/**
 * The reference the XML tokenizer is compared with: saxes, configured as Salon's input parser
 * was before it had its own (namespaces on, XML 1.0 forced), building ltx trees in Salon's
 * canonical form (DESIGN.md §1) from the names saxes resolved. A few places where saxes is laxer
 * than the XML and Namespaces recommendations are tightened here, each named below; everything
 * else is saxes' own judgement.
 */
import { Element } from 'ltx';
import { SaxesParser, type SaxesAttributeNS, type SaxesTagNS } from 'saxes';

const OPTIONS = { xmlns: true, defaultXMLVersion: '1.0', forceXMLVersion: true } as const;

/** What the reference makes of a document: its top-level trees, and whether it is acceptable. */
export interface OracleResult {
  /** Serialised top-level trees (children of the root for a stream, the root for an element). */
  trees: string[];
  /** `{uri}local` of each tree. */
  names: string[];
  accepted: boolean;
}

/**
 * Known laxness of saxes 6: it takes `p:1a` for a qualified name (Namespaces in XML 1.0 §3
 * requires the local part to be an NCName) and lets a high surrogate pass unpaired.
 */
const LOCAL_PART_START = /^[:A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]|^[\uD800-\uDB7F][\uDC00-\uDFFF]/;
const NON_SPACE = /[^ \t\r\n]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function hasBadLocalPart(name: string): boolean {
  const colon = name.indexOf(':');
  return colon >= 0 && !LOCAL_PART_START.test(name.slice(colon + 1));
}

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

/**
 * The canonical attributes (DESIGN.md §1) of a tag as saxes resolved it, written independently of
 * `server/xml/canonical-attributes.ts`: `xmlns` first when stated, declarations dropped, `xml:*`
 * as written, other namespaced attributes under `ns1`, `ns2`, … declared last.
 */
function canonicalAttributes(tag: SaxesTagNS, xmlns: string | undefined): Record<string, string> {
  const attrs: Record<string, string> = {};
  if (xmlns !== undefined) attrs.xmlns = xmlns;
  const foreign: string[] = [];
  for (const name in tag.attributes) {
    const attr = tag.attributes[name] as SaxesAttributeNS;
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    if (attr.prefix === '') attrs[name] = attr.value;
    else if (attr.uri === XML_NAMESPACE) attrs[name] = attr.value;
    else {
      if (!foreign.includes(attr.uri)) foreign.push(attr.uri);
      attrs[`ns${foreign.indexOf(attr.uri) + 1}:${attr.local}`] = attr.value;
    }
  }
  foreign.forEach((uri, i) => { attrs[`xmlns:ns${i + 1}`] = uri; });
  return attrs;
}

/** Builds canonical trees from saxes events: local names, `xmlns` where the namespace changes. */
class OracleBuilder {
  readonly trees: Element[] = [];
  readonly names: string[] = [];
  readonly ends: number[] = [];
  #current: Element | null = null;
  readonly #uris: string[] = [];

  constructor(readonly topDepth: number) {}

  open(tag: SaxesTagNS, depth: number): void {
    if (depth < this.topDepth) return;
    // The top element states its namespace unless it has none; a child states a change.
    const parentUri = this.#current === null ? '' : this.#uris.at(-1);
    const xmlns = parentUri === tag.uri ? undefined : tag.uri;
    this.#uris.push(tag.uri);
    const element = new Element(tag.local, canonicalAttributes(tag, xmlns));
    if (this.#current === null) {
      this.names.push(`{${tag.uri}}${tag.local}`);
    } else {
      element.parent = this.#current;
      this.#current.children.push(element);
    }
    this.#current = element;
  }

  text(text: string): void {
    const children = this.#current?.children;
    // An empty CDATA section adds no text node (the old builder added an empty string).
    if (children === undefined || text === '') return;
    const last = children.at(-1);
    if (typeof last === 'string') children[children.length - 1] = last + text;
    else children.push(text);
  }

  close(position: number): void {
    const element = this.#current;
    if (element === null) return;
    this.#uris.pop();
    this.#current = element.parent;
    if (this.#current !== null) return;
    this.trees.push(element);
    this.ends.push(position);
  }
}

/** One saxes run over a whole document, with Salon's stream rules on top. */
class OracleRun {
  readonly parser = new SaxesParser(OPTIONS);
  readonly builder: OracleBuilder;
  depth = 0;
  rejectedAt = -1;
  closedRoot = false;
  /** Where the last tag ended: text between stanzas is checked as written, references included. */
  lastTagEnd = 0;

  constructor(readonly text: string, readonly isStream: boolean) {
    this.builder = new OracleBuilder(isStream ? 1 : 0);
    const reject = (): void => this.reject(this.parser.position);
    for (const name of ['error', 'comment', 'processinginstruction', 'doctype'] as const) this.parser.on(name, reject);
    this.parser.on('xmldecl', (decl) => {
      if (decl.encoding !== undefined && decl.encoding.toLowerCase() !== 'utf-8') reject();
    });
    this.parser.on('opentag', (tag) => {
      if (hasBadLocalPart(tag.name) || Object.keys(tag.attributes).some(hasBadLocalPart)) reject();
      this.builder.open(tag, this.depth++);
      this.lastTagEnd = this.parser.position;
    });
    this.parser.on('closetag', () => {
      if (--this.depth === 0) this.closedRoot = true;
      this.builder.close(this.parser.position);
      this.lastTagEnd = this.parser.position;
    });
    this.parser.on('text', (data) => this.#onText(data));
    this.parser.on('cdata', (data) => (this.#isBetween() ? reject() : this.builder.text(data)));
  }

  reject(position: number): void {
    if (this.rejectedAt < 0 || position < this.rejectedAt) this.rejectedAt = position;
  }

  #isBetween(): boolean {
    return this.depth === 0 || (this.isStream && this.depth === 1);
  }

  #onText(data: string): void {
    if (!this.#isBetween()) this.builder.text(data);
    else if (this.depth === 1 && NON_SPACE.test(this.text.slice(this.lastTagEnd, this.parser.position - 1))) this.reject(this.parser.position);
  }
}

/**
 * Parses `text` in one go. `isStream`: the trees are the root's children and only whitespace
 * may stand between them (RFC 6120 §4.9.3.1); otherwise the document is exactly one element.
 */
export function parseWithSaxes(text: string, isStream: boolean): OracleResult {
  const run = new OracleRun(text, isStream);
  run.parser.write(text);
  if (!isStream) run.parser.close();
  const lone = LONE_SURROGATE.exec(text);
  if (lone !== null) run.reject(lone.index);
  const { builder, rejectedAt } = run;
  // A tree counts if it ended before the first problem (saxes reports a mismatched end tag just after it).
  const kept = builder.trees.filter((_, i) => rejectedAt < 0 || (builder.ends[i] ?? 0) < rejectedAt);
  return {
    trees: kept.map((tree) => tree.toString()),
    names: builder.names.slice(0, kept.length),
    accepted: rejectedAt < 0 && run.closedRoot,
  };
}
