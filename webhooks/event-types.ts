/**
 * The event types a webhook endpoint may receive, named as the Standard Webhooks specification
 * recommends: hierarchical, full-stop delimited, `[a-z_]` words. A type fixes the shape of `data`
 * (see `event-data.ts`).
 */
export const WEBHOOK_EVENT_TYPES = [
  'room.created',
  'room.destroyed',
  'room.configured',
  'occupant.joined',
  'occupant.left',
  'occupant.role_changed',
  'affiliation.changed',
  'message.posted',
  'user.online',
  'user.offline',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Types that concern one room: an endpoint's `rooms` filter applies to them. */
export function isRoomEvent(type: WebhookEventType): boolean {
  return !type.startsWith('user.');
}
