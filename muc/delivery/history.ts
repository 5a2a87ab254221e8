/**
 * Discussion history (XEP-0045 §7.2.13 #enter-history, §7.2.14 #enter-managehistory): a bounded
 * per-room buffer of recent groupchat messages and the selection a joining occupant asked for.
 * The buffer is bounded twice: by messages (the room's history length, at most Prosody's
 * `max_history_messages`) and by bytes (`muc_max_history_bytes`), the oldest going first, so that
 * twenty stanzas at the c2s size limit (5 MiB) cannot sit in every room's memory.
 */
import { Element, clone, escapeXML } from 'ltx';
import { NS } from '../../server/xml/index.js';
import { formatDateTime, parseDateTime } from './date-time.js';
import { DEFAULT_MAX_HISTORY } from '../configuration/room-config.js';

/** One remembered message. */
export interface HistoryEntry {
  /** The message as it is replayed: `from` the sender's occupant JID, no `to`, with a `<delay/>`. */
  readonly stanza: Element;
  /** `stanza`, serialised once. */
  readonly xml: string;
  /** The sender's occupant JID (`room@service/nick`). */
  readonly from: string;
  /** When the room received the message. */
  readonly timestamp: Date;
  /** Characters (Unicode code points) of `xml`: §7.2.14 counts complete stanzas for `maxchars`. */
  readonly chars: number;
  /** UTF-8 bytes of `xml`, for the buffer's byte bound. */
  readonly bytes: number;
  /** The id the room's archive gave the message (its `<stanza-id/>`), when it was archived. */
  readonly archiveId: string | undefined;
}

/** The `<history/>` limits a joining client sent; absent limits do not restrict. */
export interface HistoryRequest {
  readonly maxchars?: number;
  readonly maxstanzas?: number;
  readonly seconds?: number;
  readonly since?: Date;
}

/**
 * XEP-0203 `<delay xmlns='urn:xmpp:delay' from='room@service' stamp='…Z'/>`. For history the
 * `from` MUST be the room's JID (§7.2.13).
 */
export function delayElement(stamp: Date, from: string): Element {
  return new Element('delay', { xmlns: NS.delay, from, stamp: formatDateTime(stamp) });
}

/** Prosody keeps messages with a body; subjects are not history (§7.2.13). */
export function isHistoryWorthy(message: Element): boolean {
  return message.attrs.type === 'groupchat' && message.getChild('body') !== undefined;
}

/**
 * `muc_max_history_bytes`: the default bound on the bytes of one room's history. Twenty messages
 * of a few KiB (a busy room's normal history) stay far below it; one message at the c2s stanza
 * size limit (256 KiB) does not fit and is not kept (it is still delivered to the occupants).
 */
export const DEFAULT_MAX_HISTORY_BYTES = 256 * 1024;

/** The number of messages a room keeps: its `historylength`, bounded by `max_history_messages`. */
export function effectiveHistoryLength(historylength: number, maxHistoryMessages = DEFAULT_MAX_HISTORY): number {
  return Math.max(0, Math.min(historylength, maxHistoryMessages));
}

function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

export interface HistoryContext {
  /** The room's bare JID, the `from` of the delay stamp. */
  readonly roomJid: string;
  /** The sender's occupant JID. */
  readonly occupantJid: string;
  readonly now: Date;
  /** The id the room's archive gave the message, if it was archived. */
  readonly archiveId?: string | undefined;
}

/** A bounded buffer of the most recent messages of one room, oldest first. */
export class HistoryBuffer {
  #entries: HistoryEntry[] = [];
  #capacity: number;
  readonly #maxBytes: number;
  #bytes = 0;

  /** `capacity` bounds the messages kept, `maxBytes` the UTF-8 bytes of their stanzas together. */
  constructor(capacity: number, maxBytes = DEFAULT_MAX_HISTORY_BYTES) {
    this.#capacity = Math.max(0, capacity);
    this.#maxBytes = Math.max(0, maxBytes);
  }

  /** The UTF-8 bytes of the stanzas kept. */
  get bytes(): number {
    return this.#bytes;
  }

  get capacity(): number {
    return this.#capacity;
  }

  get size(): number {
    return this.#entries.length;
  }

  /** Changes the bound (the room's history length changed); the oldest entries go first. */
  setCapacity(capacity: number): void {
    this.#capacity = Math.max(0, capacity);
    this.#trim();
  }

  /** The entries, oldest first. */
  entries(): readonly HistoryEntry[] {
    return this.#entries;
  }

  /**
   * Remembers a reflected groupchat message. The stored copy loses its `to`, takes the occupant
   * JID as `from` and gains the delay stamp. Returns undefined when the buffer keeps nothing, or
   * when the message alone is larger than the byte bound (the history stays as it was).
   */
  add(message: Element, context: HistoryContext): HistoryEntry | undefined {
    if (this.#capacity === 0) return undefined;
    const entry = this.#entryFor(message, context);
    if (entry === undefined) return undefined;
    this.#entries.push(entry);
    this.#bytes += entry.bytes;
    this.#trim();
    return entry;
  }

  /**
   * Puts messages older than every kept one in front of them (history read back from the room's
   * archive), `older` oldest first. The newest of them go in while both bounds allow; nothing
   * kept already is dropped. Returns how many were added.
   */
  addOlder(older: readonly { message: Element; context: HistoryContext }[]): number {
    const added: HistoryEntry[] = [];
    let bytes = this.#bytes;
    for (let i = older.length - 1; i >= 0 && this.#entries.length + added.length < this.#capacity; i -= 1) {
      const item = older[i];
      const entry = item === undefined ? undefined : this.#entryFor(item.message, item.context);
      if (entry === undefined) continue;
      if (bytes + entry.bytes > this.#maxBytes) break;
      bytes += entry.bytes;
      added.push(entry);
    }
    this.#entries = [...added.reverse(), ...this.#entries];
    this.#bytes = bytes;
    return added.length;
  }

  /**
   * Puts `message` in the place of the entry the archive knows as `archiveId` (a moderated
   * message's tombstone, XEP-0425), keeping its sender and time. False when no entry has that
   * id, or when the new form alone exceeds the byte bound (the entry is dropped then).
   */
  replace(archiveId: string, message: Element, roomJid: string): boolean {
    const index = this.#entries.findIndex((entry) => entry.archiveId === archiveId);
    const old = this.#entries[index];
    if (old === undefined) return false;
    const entry = this.#entryFor(message, { roomJid, occupantJid: old.from, now: old.timestamp, archiveId });
    this.#bytes -= old.bytes;
    if (entry === undefined) {
      this.#entries.splice(index, 1);
      return false;
    }
    this.#entries[index] = entry;
    this.#bytes += entry.bytes;
    this.#trim();
    return true;
  }

  /** The stored form of a message; undefined when it alone exceeds the byte bound. */
  #entryFor(message: Element, context: HistoryContext): HistoryEntry | undefined {
    const stanza = clone(message);
    delete stanza.attrs.to;
    stanza.attrs.from = context.occupantJid;
    stanza.cnode(delayElement(context.now, context.roomJid));
    const xml = stanza.toString();
    const bytes = Buffer.byteLength(xml, 'utf8');
    if (bytes > this.#maxBytes) return undefined;
    return {
      stanza, xml, from: context.occupantJid, timestamp: context.now, chars: codePoints(xml), bytes, archiveId: context.archiveId,
    };
  }

  clear(): void {
    this.#entries = [];
    this.#bytes = 0;
  }

  /** Drops the oldest entries until both bounds hold. */
  #trim(): void {
    let excess = Math.max(0, this.#entries.length - this.#capacity);
    let bytes = this.#bytes;
    for (let i = 0; i < excess; i += 1) bytes -= this.#entries[i]?.bytes ?? 0;
    while (bytes > this.#maxBytes && excess < this.#entries.length) {
      bytes -= this.#entries[excess]?.bytes ?? 0;
      excess += 1;
    }
    if (excess > 0) this.#entries.splice(0, excess);
    this.#bytes = bytes;
  }
}

/** The oldest timestamp (ms) a request accepts: the later of `since` and now − `seconds`. */
function oldestAccepted(request: HistoryRequest, now: Date): number | undefined {
  const bounds: number[] = [];
  if (request.since !== undefined) bounds.push(request.since.getTime());
  if (request.seconds !== undefined) bounds.push(now.getTime() - request.seconds * 1000);
  return bounds.length === 0 ? undefined : Math.max(...bounds);
}

/**
 * The history to send a joining occupant (§7.2.14): the newest messages that satisfy every limit
 * at once ("the smallest amount of traffic that meets any combination of the above criteria"),
 * in chronological order. Only complete stanzas are sent: `maxchars` stops before the first
 * stanza that would exceed it, so `maxchars='0'` (and `maxstanzas='0'`) send nothing.
 * `recipientJid`, when given, counts the `to` attribute each replayed stanza will carry.
 */
export function selectHistory(
  buffer: HistoryBuffer | readonly HistoryEntry[], request: HistoryRequest, now: Date, recipientJid?: string,
): HistoryEntry[] {
  const entries = buffer instanceof HistoryBuffer ? buffer.entries() : buffer;
  const oldest = oldestAccepted(request, now);
  const overhead = recipientJid === undefined ? 0 : codePoints(` to="${escapeXML(recipientJid)}"`);
  const picked: HistoryEntry[] = [];
  let chars = 0;
  for (let i = entries.length - 1; i >= 0; i -= 1) {
    const entry = entries[i];
    if (entry === undefined || picked.length >= (request.maxstanzas ?? Infinity)) break;
    if (oldest !== undefined && entry.timestamp.getTime() < oldest) break;
    chars += entry.chars + overhead;
    if (chars > (request.maxchars ?? Infinity)) break;
    picked.push(entry);
  }
  return picked.reverse();
}

/** xs:int attributes of `<history/>`: non-negative integers; anything else is ignored. */
function readCount(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\+?[0-9]+$/.test(value)) return undefined;
  return Math.min(Number(value), Number.MAX_SAFE_INTEGER);
}

/**
 * Reads `<history/>` from the join presence's `<x xmlns='http://jabber.org/protocol/muc'/>`.
 * Invalid values are ignored (the room's defaults apply instead), as Prosody does.
 */
export function parseHistoryRequest(x: Element): HistoryRequest {
  const history = x.getChild('history', NS.muc);
  if (!history) return {};
  const since: unknown = history.attrs.since;
  const request: { maxchars?: number; maxstanzas?: number; seconds?: number; since?: Date } = {};
  const maxchars = readCount(history.attrs.maxchars);
  const maxstanzas = readCount(history.attrs.maxstanzas);
  const seconds = readCount(history.attrs.seconds);
  const sinceDate = typeof since === 'string' ? parseDateTime(since) : undefined;
  if (maxchars !== undefined) request.maxchars = maxchars;
  if (maxstanzas !== undefined) request.maxstanzas = maxstanzas;
  if (seconds !== undefined) request.seconds = seconds;
  if (sinceDate !== undefined) request.since = sinceDate;
  return request;
}
