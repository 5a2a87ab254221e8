/**
 * What a parsed element costs while it waits in a stream's input queue, in bytes: its
 * serialised size (names, attributes, text) plus a fixed amount per element node for the objects
 * ltx keeps for it. It is an estimate, computed only for input that has to wait, never for input
 * handled at once; it bounds memory the way the stanza size limit bounds one stanza.
 */
import type { Element } from 'ltx';

/** Per element node: the ltx object, its attribute object and children array (V8, 64-bit). */
export const ELEMENT_NODE_BYTES = 64;

/** Estimated bytes held by `root` and everything under it. */
export function estimateElementBytes(root: Element): number {
  let bytes = 0;
  const pending: (Element | string)[] = [root];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (typeof node === 'string') {
      bytes += node.length;
      continue;
    }
    // `<name` … `>` and `</name>`.
    bytes += ELEMENT_NODE_BYTES + 2 * node.name.length + 5;
    const attrs = node.attrs as Record<string, unknown>;
    for (const key in attrs) {
      const value = attrs[key];
      // ` key='value'`
      bytes += key.length + 4 + (typeof value === 'string' ? value.length : 0);
    }
    for (const child of node.children) pending.push(child as Element | string);
  }
  return bytes;
}
