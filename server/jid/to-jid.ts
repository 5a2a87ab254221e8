/** Addresses given to service APIs, which accept a parsed `Jid` or its text. */
import { parseJid, type Jid } from './jid.js';

/** `value` as a `Jid`: returned as it is when parsed already; undefined when the text is no JID. */
export function toJid(value: Jid | string): Jid | undefined {
  if (typeof value !== 'string') return value;
  const parsed = parseJid(value);
  return parsed.ok ? parsed.value : undefined;
}
