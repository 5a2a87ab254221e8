/** Options of stream management, under Prosody's mod_smacks names and defaults. */
import * as z from 'zod';

export const smacksOptionShape = {
  smacks_hibernation_time: z.number().int().min(0).max(7 * 86_400).default(600)
    .describe('Seconds a resumable session whose connection was lost stays bound, queueing stanzas, waiting for its client to resume it (XEP-0198).'),
  smacks_max_queue_size: z.number().int().min(1).max(1_000_000).default(500)
    .describe('Unacknowledged stanzas kept for one session; a hibernated session that passes it ends, a connected one gets resource-constraint.'),
  smacks_max_unacked_stanzas: z.number().int().min(0).max(1_000_000).default(0)
    .describe('Unacknowledged stanzas after which the server asks the client for an acknowledgement (<r/>); 0 asks after every burst of output.'),
  smacks_max_ack_delay: z.number().int().min(0).max(86_400).default(30)
    .describe('Seconds an acknowledgement request may stay unanswered before the server asks again; 0 never asks again.'),
  smacks_max_hibernated_sessions: z.number().int().min(1).max(10_000).default(10)
    .describe('Hibernated sessions one account may hold; when another one hibernates, the oldest ends.'),
  smacks_max_old_sessions: z.number().int().min(0).max(10_000).default(10)
    .describe('Expired sessions remembered per account, so that a late resumption learns how many stanzas the server had handled.'),
};

export type SmacksOptionValues = z.infer<z.ZodObject<typeof smacksOptionShape>>;

/** The same options in the units the code uses. */
export interface SmOptions {
  readonly hibernationMs: number;
  readonly maxQueueSize: number;
  readonly maxUnacked: number;
  readonly ackDelayMs: number;
  readonly maxHibernatedPerAccount: number;
  readonly maxOldPerAccount: number;
}

export function smOptionsFrom(values: SmacksOptionValues): SmOptions {
  return {
    hibernationMs: values.smacks_hibernation_time * 1000,
    maxQueueSize: values.smacks_max_queue_size,
    maxUnacked: values.smacks_max_unacked_stanzas,
    ackDelayMs: values.smacks_max_ack_delay * 1000,
    maxHibernatedPerAccount: values.smacks_max_hibernated_sessions,
    maxOldPerAccount: values.smacks_max_old_sessions,
  };
}
