/**
 * The same stanza written many ways (Namespaces in XML 1.0): a stanza is described once, as a
 * tree of namespaces and local names, and written either plainly (default namespace declarations
 * only) or with random prefixes declared on the element, on an ancestor, or on the context it
 * arrives in (the stream root, the BOSH `<body/>`), with redundant and unused declarations mixed
 * in. Canonical parsing (DESIGN.md §1) must make all of them the same element.
 */
import type { Element } from 'ltx';
import { escapeAttr, escapeXml } from '../../server/xml/index.js';
import type { Random } from './xml-fuzz.js';

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

/** An attribute: `uri` is '' for a plain one, the XML namespace for `xml:lang`, else foreign. */
export interface AttributeSpec {
  readonly uri: string;
  readonly local: string;
  readonly value: string;
}

export interface ElementSpec {
  readonly ns: string;
  readonly local: string;
  readonly attrs: readonly AttributeSpec[];
  readonly children: readonly (ElementSpec | string)[];
}

/** What is in scope where the stanza starts: the default namespace and prefix bindings. */
export interface XmlContext {
  readonly defaultNs: string;
  readonly bindings: ReadonlyMap<string, string>;
}

/** Prefix names a sender might pick, including ones that mean something elsewhere. */
const PREFIXES = ['a', 'b', 'c', 'm', 'o', 'x', 'ns1', 'ns2', 'jc', 'stream', 'body', 'xmpp'];

/** The description of a canonical element (as Salon builds them), to write it other ways. */
export function specOf(element: Element, parentNs = ''): ElementSpec {
  const ns = (element.attrs.xmlns as string | undefined) ?? parentNs;
  const declared = new Map<string, string>();
  for (const name in element.attrs) if (name.startsWith('xmlns:')) declared.set(name.slice(6), String(element.attrs[name]));
  const attrs: AttributeSpec[] = [];
  for (const name in element.attrs) {
    const value = element.attrs[name] as unknown;
    if (name === 'xmlns' || name.startsWith('xmlns:') || value === undefined || value === null) continue;
    const colon = name.indexOf(':');
    if (colon < 0) attrs.push({ uri: '', local: name, value: String(value) });
    else {
      const prefix = name.slice(0, colon);
      const uri = prefix === 'xml' ? XML_NAMESPACE : declared.get(prefix);
      if (uri === undefined) throw new Error(`undeclared attribute prefix in ${name}`);
      attrs.push({ uri, local: name.slice(colon + 1), value: String(value) });
    }
  }
  const children = element.children.map((child) => (typeof child === 'string' ? child : specOf(child, ns)));
  return { ns, local: element.name, attrs, children };
}

interface Scope {
  defaultNs: string;
  bindings: Map<string, string>;
}

/** One start tag being written: its declarations and prefixed names. */
class TagWriter {
  readonly declared = new Map<string, string>();
  /** Prefixes from the scope this tag uses: declaring one of them here would rebind it. */
  readonly #borrowed = new Set<string>();
  defaultDecl: string | undefined;

  constructor(readonly scope: Scope, readonly rng: Random | undefined) {}

  /** A prefix for `uri`: one in scope (sometimes), else one declared on this tag. */
  prefixFor(uri: string): string {
    const rng = this.rng;
    for (const [prefix, bound] of this.declared) if (bound === uri) return prefix;
    if (rng !== undefined && rng.chance(0.6)) {
      const inScope = [...this.scope.bindings].filter(([prefix, bound]) => bound === uri && !this.declared.has(prefix));
      if (inScope.length > 0) {
        const prefix = rng.pick(inScope)[0];
        this.#borrowed.add(prefix);
        return prefix;
      }
    }
    const free = PREFIXES.filter((p) => !this.declared.has(p) && !this.#borrowed.has(p));
    const prefix = rng === undefined ? `f${this.declared.size + 1}` : rng.pick(free);
    this.declared.set(prefix, uri);
    return prefix;
  }
}

function writeAttributes(tag: TagWriter, attrs: readonly AttributeSpec[]): string[] {
  return attrs.map((attr) => {
    const name = attr.uri === '' ? attr.local : attr.uri === XML_NAMESPACE ? `xml:${attr.local}` : `${tag.prefixFor(attr.uri)}:${attr.local}`;
    return ` ${name}='${escapeAttr(attr.value)}'`;
  });
}

/** The element name: plain (declaring the default namespace when it changes) or prefixed. */
function writeName(tag: TagWriter, spec: ElementSpec): string {
  const { rng, scope } = tag;
  if (rng === undefined || spec.ns === '' || rng.chance(0.35)) {
    // A redundant default declaration, now and then, must vanish too.
    if (scope.defaultNs !== spec.ns || (rng?.chance(0.1) ?? false)) tag.defaultDecl = spec.ns;
    return spec.local;
  }
  return `${tag.prefixFor(spec.ns)}:${spec.local}`;
}

/** Unused declarations and a changed default namespace under a prefixed name. */
function addNoise(tag: TagWriter, name: string, namespaces: readonly string[]): void {
  const rng = tag.rng;
  if (rng === undefined) return;
  if (rng.chance(0.3)) tag.prefixFor(rng.pick(namespaces));
  if (name.includes(':') && tag.defaultDecl === undefined && rng.chance(0.2)) tag.defaultDecl = rng.pick(namespaces);
}

function writeElement(spec: ElementSpec, outer: Scope, rng: Random | undefined, namespaces: readonly string[]): string {
  const tag = new TagWriter(outer, rng);
  const name = writeName(tag, spec);
  const attrs = writeAttributes(tag, spec.attrs);
  addNoise(tag, name, namespaces);
  const decls: string[] = [];
  if (tag.defaultDecl !== undefined) decls.push(` xmlns='${escapeAttr(tag.defaultDecl)}'`);
  for (const [prefix, uri] of tag.declared) decls.push(` xmlns:${prefix}='${escapeAttr(uri)}'`);
  // Declarations anywhere among the attributes; the attributes keep their order.
  const parts = [...attrs];
  for (const decl of decls) parts.splice(rng === undefined ? parts.length : rng.int(parts.length + 1), 0, decl);
  const scope: Scope = { defaultNs: tag.defaultDecl ?? outer.defaultNs, bindings: new Map([...outer.bindings, ...tag.declared]) };
  if (spec.children.length === 0) return `<${name}${parts.join('')}/>`;
  const content = spec.children.map((child) => (typeof child === 'string' ? escapeXml(child) : writeElement(child, scope, rng, namespaces))).join('');
  return `<${name}${parts.join('')}>${content}</${name}>`;
}

function namespacesOf(spec: ElementSpec, into = new Set<string>()): Set<string> {
  if (spec.ns !== '') into.add(spec.ns);
  for (const attr of spec.attrs) if (attr.uri !== '' && attr.uri !== XML_NAMESPACE) into.add(attr.uri);
  for (const child of spec.children) if (typeof child !== 'string') namespacesOf(child, into);
  return into;
}

/** The stanza with default namespace declarations only (and `f1`, `f2`, … for foreign attributes). */
export function writePlain(spec: ElementSpec, context: XmlContext): string {
  return writeElement(spec, { defaultNs: context.defaultNs, bindings: new Map(context.bindings) }, undefined, []);
}

/** The stanza with random prefixes; `context` holds the bindings of the root or body around it. */
export function writePrefixed(spec: ElementSpec, context: XmlContext, rng: Random): string {
  const namespaces = [...namespacesOf(spec), 'urn:unused'];
  return writeElement(spec, { defaultNs: context.defaultNs, bindings: new Map(context.bindings) }, rng, namespaces);
}

/** Random prefix bindings for a root or body, for the namespaces `spec` uses (and one unused). */
export function randomBindings(rng: Random, spec: ElementSpec, reserved: readonly string[] = []): Map<string, string> {
  const bindings = new Map<string, string>();
  for (const uri of [...namespacesOf(spec), 'urn:unused']) {
    if (!rng.chance(0.5)) continue;
    const prefix = rng.pick(PREFIXES.filter((p) => !reserved.includes(p) && !bindings.has(p)));
    bindings.set(prefix, uri);
  }
  return bindings;
}

/** Declarations of `bindings` as attributes. */
export function declarations(bindings: ReadonlyMap<string, string>): string {
  let out = '';
  for (const [prefix, uri] of bindings) out += ` xmlns:${prefix}='${escapeAttr(uri)}'`;
  return out;
}
