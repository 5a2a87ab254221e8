/**
 * Offline messages (XEP-0160): the messages kept for one user while no resource could take them,
 * oldest first, as stored values. Pure: the store and the module do the I/O.
 */
import { Element } from 'ltx';

/** One kept message: the stanza as received (serialised) and when it arrived. */
export interface OfflineMessage {
  stanza: string;
  /** XEP-0082 DateTime, for the delay element on delivery (XEP-0203). */
  stamp: string;
}

/** `offline_max_messages`: the default bound on messages kept for one user. */
export const DEFAULT_OFFLINE_MAX_MESSAGES = 100;

/**
 * `offline_max_bytes`: the default bound on the UTF-8 bytes of the stanzas kept for one user.
 * A normal queue is tens of messages of a few KiB (OMEMO included): well under 1 MiB. Without it
 * the count bound alone let one queue reach 100 stanzas of 256 KiB (25 MiB) per recipient.
 */
export const DEFAULT_OFFLINE_MAX_BYTES = 1024 * 1024;

/** The bounds of one user's queue. */
export interface OfflineLimits {
  readonly maxMessages: number;
  readonly maxBytes: number;
}

/** What one user's queue holds, for the bounds. */
export interface OfflineUsage {
  readonly messages: number;
  readonly bytes: number;
}

/** The bytes a message counts for: its stanza as stored. */
export function offlineMessageBytes(message: OfflineMessage): number {
  return Buffer.byteLength(message.stanza, 'utf8');
}

/** What a queue holds. */
export function offlineUsage(queue: readonly OfflineMessage[]): OfflineUsage {
  let bytes = 0;
  for (const message of queue) bytes += offlineMessageBytes(message);
  return { messages: queue.length, bytes };
}

/** The usage after appending `message`, or undefined when that would pass a bound. */
export function usageAfterAppend(usage: OfflineUsage, message: OfflineMessage, limits: OfflineLimits): OfflineUsage | undefined {
  const next = { messages: usage.messages + 1, bytes: usage.bytes + offlineMessageBytes(message) };
  return next.messages > limits.maxMessages || next.bytes > limits.maxBytes ? undefined : next;
}

/** Stored offline data that does not have the expected shape. */
export class OfflineDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OfflineDataError';
  }
}

/** Reads a stored queue, checking its shape (files can be edited or damaged). */
export function readOfflineQueue(value: unknown): OfflineMessage[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new OfflineDataError('an offline queue is not a list');
  return value.map((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) throw new OfflineDataError('an offline message is not an object');
    const { stanza, stamp } = entry as Record<string, unknown>;
    if (typeof stanza !== 'string' || typeof stamp !== 'string') throw new OfflineDataError('an offline message lacks its stanza or stamp');
    return { stanza, stamp };
  });
}

const CHAT_STATES = 'http://jabber.org/protocol/chatstates';

/**
 * Whether a message of this type is kept while its recipient is offline: `chat` and `normal`
 * (and unknown types, which RFC 6121 §5.2.2 reads as normal), never `headline`, `groupchat` or
 * `error` (XEP-0160 §3).
 */
export function isStorableType(message: Element): boolean {
  const type = message.attrs.type as string | undefined;
  return type !== 'headline' && type !== 'groupchat' && type !== 'error';
}

/** A message carrying nothing but a chat state notification, which is not kept (XEP-0085 §5.5). */
export function isChatStateOnly(message: Element): boolean {
  const children = message.children.filter((child): child is Element => typeof child !== 'string');
  return children.length > 0 && children.every((child) => child.getNS() === CHAT_STATES);
}
