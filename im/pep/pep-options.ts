/**
 * Options of the `pep` module: Prosody's `pep_max_items` (256) and Salon's bounds on what one
 * user stores and on the capabilities cache.
 */
import * as z from 'zod';

export const pepOptions = {
  pep_max_items: z.number().int().min(1).max(100_000).default(256)
    .describe('Most items one PEP node keeps; also what a client asking pubsub#max_items "max" gets.'),
  pep_max_bytes_per_user: z.number().int().min(1024).max(1024 ** 3).default(1_048_576)
    .describe('[Salon] Most bytes of PEP data (nodes, configurations and items) stored for one user.'),
  pep_caps_cache_size: z.number().int().min(1).max(1_000_000).default(1000)
    .describe('[Salon] Verified entity capabilities (XEP-0115 ver strings) remembered, least recently used dropped first.'),
};

export interface PepOptions {
  pep_max_items: number;
  pep_max_bytes_per_user: number;
  pep_caps_cache_size: number;
}
