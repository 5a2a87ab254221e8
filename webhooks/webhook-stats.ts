/**
 * The numbers a webhook host exposes (for metrics and tests), offered under `webhookStatsKey` on
 * every host where `http_webhooks` is loaded.
 */
import { serviceKey, type ServiceKey } from '../server/modules/index.js';
import type { DeadLetter } from './dead-letters.js';

export interface WebhookCounts {
  /** Deliveries waiting: in memory (ready, waiting for a retry, in flight) plus spilled to storage. */
  readonly queued: number;
  /** Of `queued`, those kept in storage because the memory queue was full. */
  readonly spilled: number;
  readonly inFlight: number;
  /** Deliveries accepted since start (one per event and endpoint). */
  readonly accepted: number;
  /** Deliveries a receiver acknowledged with 2xx. */
  readonly delivered: number;
  /** Attempts that failed (each retry counts). */
  readonly failed: number;
  /** Deliveries given up on (dead letters). */
  readonly dead: number;
}

export interface WebhookStats {
  /** The host these numbers belong to. */
  readonly host: string;
  counts(): WebhookCounts;
  /** The most recent dead letters, oldest first (bounded by `http_webhooks_dead_letters`). */
  deadLetters(): readonly DeadLetter[];
}

export const webhookStatsKey: ServiceKey<WebhookStats> = serviceKey<WebhookStats>('webhook-stats');
