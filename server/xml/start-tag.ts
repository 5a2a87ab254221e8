/**
 * A start tag or empty-element tag as read (XML 1.0 §3.1 productions STag, EmptyElemTag), with
 * its namespaces resolved (Namespaces in XML 1.0 §5). One instance is reused for every tag, so
 * readers copy what they keep before the next tag is read.
 */
export class StartTag {
  /** The name as written, e.g. `stream:features`. */
  name = '';
  /** Offset of the colon in `name`, or -1. */
  colon = -1;
  /** UTF-8 bytes beyond one per code unit in `name` (non-ASCII names only). */
  nameExtra = 0;
  /** Resolved by the namespace scope: the element's namespace name and local part. */
  uri = '';
  local = '';
  /** Nesting level of the element: 0 for the document element. */
  depth = 0;
  isEmpty = false;
  /** Attribute count; the arrays below may be longer, only the first `count` entries are meaningful. */
  count = 0;
  /** How many attribute names have a prefix (`xmlns:*` included). */
  prefixedCount = 0;
  readonly names: string[] = [];
  readonly values: string[] = [];
  /** Offset of the colon in each attribute name, or -1. */
  readonly colons: number[] = [];
  /** Each prefixed attribute's namespace name; entries of unprefixed attributes are not meaningful. */
  readonly uris: string[] = [];
  /** UTF-8 bytes of input before the tag's `<` and after its `>` (RFC 6120 §13.12 counts bytes). */
  startBytes = 0;
  endBytes = 0;

  /** Starts a new tag. */
  begin(name: string, colon: number, nameExtra: number): void {
    this.name = name;
    this.colon = colon;
    this.nameExtra = nameExtra;
    this.count = 0;
    this.prefixedCount = 0;
  }

  /** Appends one attribute as written, its value normalised (XML 1.0 §3.3.3). */
  addAttribute(name: string, colon: number, value: string): void {
    const index = this.count++;
    this.names[index] = name;
    this.colons[index] = colon;
    this.values[index] = value;
    if (colon >= 0) this.prefixedCount++;
  }

  /** The attributes as a record of name to value, in document order. */
  attributes(): Record<string, string> {
    const attrs: Record<string, string> = {};
    const { names, values } = this;
    for (let i = 0; i < this.count; i++) {
      const name = names[i] ?? '';
      const value = values[i] ?? '';
      if (name === '__proto__') {
        // A plain assignment would set the prototype instead of recording the attribute.
        Object.defineProperty(attrs, name, { value, enumerable: true, writable: true, configurable: true });
      } else {
        attrs[name] = value;
      }
    }
    return attrs;
  }
}
