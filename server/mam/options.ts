/**
 * `max_archive_query_results`, read by both archives under Prosody's name and default (50): the
 * most items one MAM page holds, whatever `<max/>` a client names. Prosody sets no ceiling; one
 * here keeps a page (held in memory, then sent) bounded.
 */
import * as z from 'zod';
import { DEFAULT_MAX_QUERY_RESULTS } from './query-parse.js';

/** The highest `max_archive_query_results` a configuration may set. */
export const MAX_QUERY_RESULTS_CEILING = 1000;

export const maxArchiveQueryResultsOption = z.number().int().min(1).max(MAX_QUERY_RESULTS_CEILING).default(DEFAULT_MAX_QUERY_RESULTS)
  .describe('Most messages in one page of a MAM query (XEP-0313); a client asking for more gets this many.');
