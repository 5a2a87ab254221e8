/**
 * Message Archive Management protocol (XEP-0313, with XEP-0059 paging): the pure parts every
 * archive shares, whoever owns it (a user's archive in im/, a room's in muc/): reading a query,
 * the query form, result messages and `<fin/>`, archive metadata, Prosody's period syntax for
 * retention options, and the retention sweep. Who may read an archive, what it keeps and what a
 * reader sees of a stored stanza stay with the owner.
 */
export { formatStamp, parseStamp } from './date-time.js';
export { parseArchivePeriod, type ArchivePeriod } from './period.js';
export { QUERY_FIELDS, queryFormElement } from './query-form.js';
export {
  DEFAULT_MAX_QUERY_RESULTS, DEFAULT_PAGE_SIZE, MAX_QUERY_IDS, parseMamQuery, parseQueryForm, parseRsm,
  type FormFilters, type MamQuery, type Paging, type QueryLimits,
} from './query-parse.js';
export { finElement, metadataElement, resultMessage, resultOrder, storedStanza, unknownIdError } from './result-build.js';
export { createRetentionSweep, type RetentionSweep } from './retention-sweep.js';
export { MAX_QUERY_RESULTS_CEILING, maxArchiveQueryResultsOption } from './options.js';
