/**
 * Webhooks (`http_webhooks`): the module definition for the catalog, and what other units read:
 * the per-host numbers under `webhookStatsKey` (metrics) and the event vocabulary.
 */
export { httpWebhooksModule } from './webhooks-module.js';
export { webhookStatsKey } from './webhook-stats.js';
export type { WebhookCounts, WebhookStats } from './webhook-stats.js';
export type { DeadLetter } from './dead-letters.js';
export { WEBHOOK_EVENT_TYPES } from './event-types.js';
export type { WebhookEventType } from './event-types.js';
