/**
 * XEP-0334 Message Processing Hints: what a sender asks of the servers on the way. Carbons honour
 * `no-copy` and `private` (XEP-0280 §6), archives honour `no-store` and `no-permanent-store` and
 * keep a message that says `store` even when they would not otherwise (XEP-0313 §5).
 */
import type { Element } from 'ltx';
import { NS } from './ns.js';

export type Hint = 'no-permanent-store' | 'no-store' | 'no-copy' | 'store';

/** Whether the message carries the hint (matched on its resolved namespace, as everywhere). */
export function hasHint(message: Element, hint: Hint): boolean {
  for (const child of message.children) {
    if (typeof child !== 'string' && child.name === hint && child.attrs.xmlns === NS.hints) return true;
  }
  return false;
}
