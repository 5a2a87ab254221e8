/**
 * The open elements of a document and their namespace declarations (Namespaces in XML 1.0):
 * resolves each start tag's prefixes, and refuses what that recommendation forbids — unbound
 * prefixes (§5 NSC Prefix Declared), reserved prefixes and names misused (§3 NSC Reserved
 * Prefixes and Namespace Names), undeclaring a prefix (§5: XML 1.0 allows no empty prefixed
 * declaration), and attributes that are duplicates once expanded (§6.3).
 */
import { StreamError } from '../errors/index.js';
import type { StartTag } from './start-tag.js';
import { findDuplicateAttribute } from './duplicate-attributes.js';

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

/** One open element: its name as written and the prefixes it declares. Frames are reused. */
class Frame {
  name = '';
  /** UTF-8 bytes beyond one per code unit in `name`, to count its end tag exactly. */
  nameExtra = 0;
  defaultUri = '';
  count = 0;
  readonly prefixes: string[] = [];
}

/** The innermost declaration of a prefix, and the one it hides. */
interface Binding {
  uri: string;
  hidden: Binding | undefined;
}

function notWellFormed(text: string): StreamError {
  return new StreamError('not-well-formed', text);
}

/** §3 NSC Reserved Prefixes and Namespace Names, for a declaration of `prefix` ('' = default). */
function checkBinding(prefix: string, uri: string): StreamError | undefined {
  if (prefix === 'xml') return uri === XML_NAMESPACE ? undefined : notWellFormed('The xml prefix is bound to its namespace only');
  if (prefix === 'xmlns') return notWellFormed('The xmlns prefix must not be declared');
  if (uri === XML_NAMESPACE || uri === XMLNS_NAMESPACE) return notWellFormed(`${uri} must not be bound to another prefix`);
  if (uri === '' && prefix !== '') return notWellFormed(`Prefix ${prefix} undeclared (not allowed in XML 1.0)`);
  return undefined;
}

/** The stack of open elements with their in-scope namespaces. */
export class NamespaceScope {
  readonly #frames: Frame[] = [];
  /** Prefix to its innermost binding: a lookup costs the same however many declarations are in scope. */
  readonly #bindings = new Map<string, Binding>();
  #depth = 0;

  /** Number of open elements. */
  get depth(): number {
    return this.#depth;
  }

  /** The name, as written, of the innermost open element. */
  get innermostName(): string {
    return this.#frames[this.#depth - 1]?.name ?? '';
  }

  /** Non-ASCII bytes of the innermost open element's name beyond one per code unit. */
  get innermostNameExtra(): number {
    return this.#frames[this.#depth - 1]?.nameExtra ?? 0;
  }

  /** Opens the element of `tag`: records its declarations, then resolves its name and attributes into `tag`. */
  open(tag: StartTag): StreamError | undefined {
    const depth = this.#depth;
    const frame = this.#frames[depth] ?? new Frame();
    this.#frames[depth] = frame;
    frame.name = tag.name;
    frame.nameExtra = tag.nameExtra;
    frame.count = 0;
    frame.defaultUri = depth === 0 ? '' : (this.#frames[depth - 1]?.defaultUri ?? '');
    this.#depth = depth + 1;
    tag.depth = depth;
    return this.#declare(tag, frame) ?? this.#resolveName(tag) ?? this.#resolveAttributes(tag);
  }

  /** Closes the innermost element: its declarations go out of scope. */
  close(): void {
    if (this.#depth === 0) return;
    const frame = this.#frames[--this.#depth];
    for (let i = 0; frame !== undefined && i < frame.count; i++) {
      const prefix = frame.prefixes[i] ?? '';
      const hidden = this.#bindings.get(prefix)?.hidden;
      if (hidden === undefined) this.#bindings.delete(prefix);
      else this.#bindings.set(prefix, hidden);
    }
  }

  reset(): void {
    this.#depth = 0;
    this.#bindings.clear();
  }

  /** Records the `xmlns` and `xmlns:*` attributes of `tag` on `frame`. */
  #declare(tag: StartTag, frame: Frame): StreamError | undefined {
    const { names, values, colons } = tag;
    for (let i = 0; i < tag.count; i++) {
      const name = names[i] ?? '';
      if (name.charCodeAt(0) !== 0x78 || !name.startsWith('xmlns')) continue;
      const colon = colons[i];
      const value = values[i] ?? '';
      if (colon === 5) {
        const prefix = name.slice(6);
        const error = checkBinding(prefix, value);
        if (error !== undefined) return error;
        frame.prefixes[frame.count++] = prefix;
        this.#bindings.set(prefix, { uri: value, hidden: this.#bindings.get(prefix) });
      } else if (name.length === 5) {
        const error = checkBinding('', value);
        if (error !== undefined) return error;
        frame.defaultUri = value;
      }
    }
    return undefined;
  }

  /** The namespace bound to `prefix`, or undefined. */
  #lookUp(prefix: string): string | undefined {
    const binding = this.#bindings.get(prefix);
    if (binding !== undefined) return binding.uri;
    return prefix === 'xml' ? XML_NAMESPACE : undefined;
  }

  #resolveName(tag: StartTag): StreamError | undefined {
    const colon = tag.colon;
    if (colon < 0) {
      tag.uri = this.#frames[tag.depth]?.defaultUri ?? '';
      tag.local = tag.name;
      return undefined;
    }
    const prefix = tag.name.slice(0, colon);
    if (prefix === 'xmlns') return notWellFormed('Element names must not have the xmlns prefix');
    const uri = this.#lookUp(prefix);
    if (uri === undefined) return notWellFormed(`Unbound namespace prefix ${prefix}`);
    tag.uri = uri;
    tag.local = tag.name.slice(colon + 1);
    return undefined;
  }

  /** Resolves prefixed attributes (unprefixed ones are in no namespace, §6.2) and checks duplicates. */
  #resolveAttributes(tag: StartTag): StreamError | undefined {
    const { names, colons, uris } = tag;
    for (let i = 0; tag.prefixedCount > 0 && i < tag.count; i++) {
      const colon = colons[i] ?? -1;
      if (colon < 0) continue;
      const prefix = (names[i] ?? '').slice(0, colon);
      const uri = prefix === 'xmlns' ? XMLNS_NAMESPACE : this.#lookUp(prefix);
      if (uri === undefined) return notWellFormed(`Unbound namespace prefix ${prefix}`);
      uris[i] = uri;
    }
    const duplicate = tag.count > 1 ? findDuplicateAttribute(tag) : undefined;
    return duplicate === undefined ? undefined : notWellFormed(`Duplicate attribute ${duplicate}`);
  }
}
