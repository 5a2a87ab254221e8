/**
 * Options of the `mam` module, with Prosody's names and defaults: `archive_expires_after` ("1w"),
 * `default_archive_policy` (true: archive everything), `max_archive_query_results` (50), and
 * Prosody 0.11's `archive_cleanup_interval` (4 hours).
 */
import * as z from 'zod';
import { maxArchiveQueryResultsOption, parseArchivePeriod } from '../../server/mam/index.js';

export const mamOptions = {
  archive_expires_after: z.union([z.number(), z.string(), z.literal(false)]).default('1w')
    .describe('How long archived messages are kept: seconds, or "1d", "1w", "1m" (months), "1y", "2 days"…, or "never".'),
  default_archive_policy: z.union([z.boolean(), z.enum(['always', 'never', 'roster'])]).default(true)
    .describe('What is archived for users who set no preference: true (always), false (never) or "roster" (contacts only).'),
  max_archive_query_results: maxArchiveQueryResultsOption,
  archive_cleanup_interval: z.number().min(0.1).max(7 * 86_400).default(4 * 3600)
    .describe('Seconds between two sweeps that remove expired archived messages.'),
};

/** A fatal configuration error naming the option, or undefined. */
export function validateMamOptions(options: { archive_expires_after: number | string | false }): string | undefined {
  const period = parseArchivePeriod(options.archive_expires_after);
  return period.ok ? undefined : `archive_expires_after: ${period.error}`;
}
