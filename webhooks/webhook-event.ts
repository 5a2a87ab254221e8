/**
 * One event as the queue holds it: created on the hot path with its data already extracted from
 * the hook payload (a few strings, no serialisation), and serialised to JSON once, when the first
 * attempt for any endpoint is made (or when it is written to storage).
 */
import { randomBytes } from 'node:crypto';
import type { WebhookEventType } from './event-types.js';

export type EventData = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;

export interface WebhookEvent {
  /** `webhook-id`: unique per event, the same for every endpoint and attempt (receivers deduplicate on it). */
  readonly id: string;
  readonly type: WebhookEventType;
  /** When the event happened (ms since the epoch); the payload's `timestamp`. */
  readonly occurredAt: number;
  readonly data: EventData;
  /** The request body, made on first use. */
  body?: string;
}

/**
 * Ids are `msg_` + a random prefix drawn once per process + a counter: unique across restarts
 * without drawing random bytes per event, and free of `.` as the signature scheme requires.
 */
const processPrefix = randomBytes(9).toString('base64url');
let counter = 0;

export function createEvent(type: WebhookEventType, data: EventData, occurredAt = Date.now()): WebhookEvent {
  counter += 1;
  return { id: `msg_${processPrefix}${counter.toString(36)}`, type, occurredAt, data };
}

/** The Standard Webhooks payload: `{ type, timestamp, data }`, minified. */
export function eventBody(event: WebhookEvent): string {
  event.body ??= JSON.stringify({ type: event.type, timestamp: new Date(event.occurredAt).toISOString(), data: event.data });
  return event.body;
}
