/**
 * Options of `http_webhooks`. Prosody has no webhook module, so every name here is Salon's own
 * ([Salon]); they follow Prosody's snake_case and units (seconds for durations).
 */
import * as z from 'zod';
import { WEBHOOK_EVENT_TYPES } from './event-types.js';
import { secretProblem } from './signature.js';

const endpointShape = z.strictObject({
  url: z.string().describe('Absolute http(s) URL the events are POSTed to.'),
  secret: z.string().describe('Signing secret, "whsec_" followed by the base64 of 24 to 64 random bytes.'),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).optional().describe('Event types this endpoint receives (default: all).'),
  rooms: z.array(z.string()).optional().describe('Room bare JIDs whose events this endpoint receives (default: every room).'),
});

export type EndpointOptions = z.output<typeof endpointShape>;

export const httpWebhooksOptionShape = {
  http_webhooks: z.array(endpointShape).default([])
    .describe('[Salon] Webhook endpoints: a list of { url, secret, events?, rooms? }.'),
  http_webhooks_messages: z.union([z.boolean(), z.array(z.string())]).default(false)
    .describe('[Salon] Send message.posted for groupchat messages: true for every room, or a list of room bare JIDs (default off).'),
  http_webhooks_queue_size: z.number().int().min(1).max(1_000_000).default(10_000)
    .describe('[Salon] Deliveries kept in memory per host; beyond it they wait in storage.'),
  http_webhooks_timeout: z.number().positive().max(120).default(15)
    .describe('[Salon] Seconds one delivery attempt may take in total.'),
  http_webhooks_retry_for: z.number().positive().max(7 * 24 * 3600).default(3600)
    .describe('[Salon] Seconds after an event during which failed deliveries are retried; then they are dead letters.'),
  http_webhooks_retry_base: z.number().positive().max(3600).default(2)
    .describe('[Salon] Seconds: the first retry waits up to this long, each later one up to twice the one before (full jitter).'),
  http_webhooks_retry_max_delay: z.number().positive().max(24 * 3600).default(600)
    .describe('[Salon] Seconds: the longest wait between two attempts.'),
  http_webhooks_max_in_flight: z.number().int().min(1).max(1000).default(16)
    .describe('[Salon] Requests in flight at once per endpoint and host.'),
  http_webhooks_dead_letters: z.number().int().min(0).max(100_000).default(1000)
    .describe('[Salon] Dead letters kept (the most recent) for inspection.'),
};

export type HttpWebhooksOptions = z.output<z.ZodObject<typeof httpWebhooksOptionShape>>;

/** Cross-field checks: a configuration problem stops start-up, naming the option. */
export function webhooksOptionsProblem(options: HttpWebhooksOptions): string | undefined {
  for (const [index, endpoint] of options.http_webhooks.entries()) {
    const where = `option "http_webhooks" entry ${index + 1}`;
    if (!isHttpUrl(endpoint.url)) return `${where}: url must be an absolute http or https URL without credentials`;
    const problem = secretProblem(endpoint.secret);
    if (problem !== undefined) return `${where}: secret ${problem}`;
  }
  if (options.http_webhooks_retry_base > options.http_webhooks_retry_max_delay) {
    return 'option "http_webhooks_retry_base" must not exceed "http_webhooks_retry_max_delay"';
  }
  return undefined;
}

function isHttpUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false; // not a URL at all: the caller names the option
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
}
