/**
 * A configured endpoint as the queue uses it: its URL, signing key and filters, with room JIDs
 * normalised once so that matching an event is a set lookup.
 */
import { parseJid } from '../server/jid/index.js';
import { isRoomEvent, type WebhookEventType } from './event-types.js';
import type { EndpointOptions } from './options.js';
import { signingKey } from './signature.js';

export interface Endpoint {
  readonly url: string;
  /** The URL as logs and dead letters show it: without user info, query or fragment (they may hold tokens). */
  readonly loggableUrl: string;
  readonly key: Buffer;
  /** Undefined: every type. */
  readonly events: ReadonlySet<WebhookEventType> | undefined;
  /** Undefined: every room. */
  readonly rooms: ReadonlySet<string> | undefined;
}

/** A room JID as rooms name themselves (normalised bare JID); the text itself when it does not parse. */
export function normaliseRoom(text: string): string {
  const parsed = parseJid(text);
  return parsed.ok ? parsed.value.bare().toString() : text;
}

/** Scheme, host, port and path of a URL: user info, query and fragment may hold tokens. */
export function loggableUrl(text: string): string {
  try {
    const url = new URL(text);
    return `${url.origin}${url.pathname}`;
  } catch {
    return '(invalid URL)'; // configuration validation refuses these; a stored record may predate it
  }
}

export function endpointOf(options: EndpointOptions): Endpoint {
  return {
    url: options.url,
    loggableUrl: loggableUrl(options.url),
    key: signingKey(options.secret),
    events: options.events === undefined ? undefined : new Set(options.events),
    rooms: options.rooms === undefined ? undefined : new Set(options.rooms.map(normaliseRoom)),
  };
}

/** Whether `endpoint` wants an event of `type` (about `room`, for room events). */
export function wants(endpoint: Endpoint, type: WebhookEventType, room: string | undefined): boolean {
  if (endpoint.events !== undefined && !endpoint.events.has(type)) return false;
  if (endpoint.rooms === undefined || !isRoomEvent(type)) return true;
  return room !== undefined && endpoint.rooms.has(room);
}

/** `http_webhooks_messages`: which rooms' groupchat messages become `message.posted`. */
export type MessageSelection = (room: string) => boolean;

/** Undefined when no room opted in (or no endpoint takes `message.posted`): nothing to watch. */
export function messageSelection(option: boolean | readonly string[], endpoints: readonly Endpoint[]): MessageSelection | undefined {
  if (option === false || (Array.isArray(option) && option.length === 0)) return undefined;
  if (!endpoints.some((endpoint) => endpoint.events === undefined || endpoint.events.has('message.posted'))) return undefined;
  if (option === true) return () => true;
  const rooms = new Set(option.map(normaliseRoom));
  return (room) => rooms.has(room);
}
