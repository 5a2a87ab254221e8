/**
 * Options of `muc_mam`, under Prosody's names and defaults. `muc_log_by_default` is read by the
 * `muc` module itself (it is the default of a new room's `muc#roomconfig_enablearchiving`).
 */
import * as z from 'zod';
import { maxArchiveQueryResultsOption, parseArchivePeriod } from '../../server/mam/index.js';

const period = z.union([z.number(), z.string(), z.literal(false)]).superRefine((value, issue) => {
  const parsed = parseArchivePeriod(value);
  if (!parsed.ok) issue.addIssue({ code: 'custom', message: parsed.error });
});

export const mucMamOptionShape = {
  muc_log_all_rooms: z.boolean().default(false)
    .describe('Archive every room, whatever its muc#roomconfig_enablearchiving (owners are not offered the field).'),
  muc_log_expires_after: period.default('1w')
    .describe('How long room archives keep a message: seconds, a period such as "1w" or "30d", or "never".'),
  max_archive_query_results: maxArchiveQueryResultsOption,
};

export type MucMamOptions = z.infer<z.ZodObject<typeof mucMamOptionShape>>;
