/**
 * Reads a MAM query (XEP-0313 §4.1) to any archive, a user's or a room's: the data form's
 * filters (`with`, `start`, `end`, and the #extended `before-id`, `after-id`, `ids`), XEP-0059
 * paging (`max`, `after`, `before`; `index` is refused with `feature-not-implemented` as
 * XEP-0059 §2.6 asks: archives page by id, and counting a position would scan the archive) and
 * #extended `flip-page`. Pure: the answer is an `ArchiveQuery` for the store, or the error to send.
 *
 * Where XEP-0004 leaves room, Prosody's reading is followed: of a field given twice, or of a
 * single-valued field with several values, the first counts; a field without `var` (or a
 * `fixed` one) is ignored. Unlike Prosody, a field the form does not offer is refused rather
 * than ignored (XEP-0313 §4.1.1): ignoring it would widen the query without the client knowing.
 */
import type { Element } from 'ltx';
import { err, ok, StanzaError, type Result } from '../errors/index.js';
import { parseJid } from '../jid/index.js';
import type { ArchiveQuery } from '../storage/index.js';
import { NS } from '../xml/index.js';
import { parseStamp } from './date-time.js';
import { QUERY_FIELDS } from './query-form.js';

/** Page size when the client asks none (Prosody's); `max_archive_query_results` caps both. */
export const DEFAULT_PAGE_SIZE = 20;

/** Prosody's default `max_archive_query_results`: the most items one page holds. */
export const DEFAULT_MAX_QUERY_RESULTS = 50;

/** Most ids one `ids` field may list. */
export const MAX_QUERY_IDS = 1000;

export interface MamQuery {
  /** Echoed in every result (XEP-0313 §4.2). */
  readonly queryId: string | undefined;
  readonly archive: ArchiveQuery;
  /** #extended `<flip-page/>`: the page's results are sent newest first. */
  readonly flipPage: boolean;
}

export interface QueryLimits {
  /** `max_archive_query_results`: caps `<max/>` and the default. */
  readonly maxResults: number;
  /** The page size when the client names no `<max/>`; DEFAULT_PAGE_SIZE unless given. */
  readonly defaultResults?: number;
}

export interface FormFilters {
  with?: string;
  start?: number;
  end?: number;
  beforeId?: string;
  afterId?: string;
  ids?: string[];
}

export interface Paging {
  max: number | undefined;
  after: string | undefined;
  /** `<before/>` empty: the last page (true); with an id: the page before it. */
  before: string | true | undefined;
}

function badRequest(text: string): StanzaError {
  return StanzaError.modify('bad-request', { text });
}

/** Each named field's values, the first field of a name only (XEP-0004 `submit`). */
function submittedFields(form: Element): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const field of form.getChildren('field')) {
    const name: unknown = field.attrs.var;
    if (typeof name !== 'string' || name === '' || field.attrs.type === 'fixed' || fields.has(name)) continue;
    fields.set(name, field.getChildren('value').map((v) => v.getText().trim()));
  }
  return fields;
}

/** The query's data form, or an error naming the bad field. */
export function parseQueryForm(form: Element | undefined): Result<FormFilters, StanzaError> {
  const filters: FormFilters = {};
  if (form === undefined) return ok(filters);
  for (const [name, values] of submittedFields(form)) {
    const value = values[0] ?? '';
    if (!QUERY_FIELDS.includes(name)) return err(badRequest(`Unsupported field '${name}'`));
    if (name === 'FORM_TYPE') {
      if (value !== NS.mam) return err(badRequest(`Unexpected FORM_TYPE, expected '${NS.mam}'`));
    } else if (name === 'ids') {
      if (values.length > MAX_QUERY_IDS) return err(badRequest(`At most ${MAX_QUERY_IDS} ids per query`));
      filters.ids = values.filter((v) => v !== '');
    } else if (value === '') {
      continue;
    } else if (name === 'with') {
      const jid = parseJid(value);
      if (!jid.ok) return err(badRequest(`Invalid JID in 'with': ${value}`));
      filters.with = jid.value.toString();
    } else if (name === 'start' || name === 'end') {
      const when = parseStamp(value);
      if (when === undefined) return err(badRequest(`Invalid XEP-0082 DateTime in '${name}': ${value}`));
      filters[name] = when;
    } else if (name === 'before-id') {
      filters.beforeId = value;
    } else {
      filters.afterId = value;
    }
  }
  return ok(filters);
}

/** XEP-0059 `<set/>` of a request. */
export function parseRsm(set: Element | undefined): Result<Paging, StanzaError> {
  if (set === undefined) return ok({ max: undefined, after: undefined, before: undefined });
  if (set.getChild('index') !== undefined) {
    return err(StanzaError.cancel('feature-not-implemented', { text: 'Paging by index is not supported; page with after/before' }));
  }
  const maxText = set.getChildText('max');
  let max: number | undefined;
  if (maxText !== null) {
    if (!/^\s*\d{1,9}\s*$/.test(maxText)) return err(badRequest('RSM max must be a non-negative integer'));
    max = Number(maxText);
  }
  const after = set.getChildText('after')?.trim();
  const beforeElement = set.getChild('before');
  const beforeText = beforeElement?.getText().trim();
  const before = beforeElement === undefined ? undefined : beforeText === '' ? true : beforeText;
  return ok({ max, after: after === '' ? undefined : after, before });
}

/** The later of two "strictly after" ids (ids sort in time order). */
function later(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}

function earlier(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}

/** A whole `<query xmlns='urn:xmpp:mam:2'/>` of an iq set. */
export function parseMamQuery(query: Element, limits: QueryLimits): Result<MamQuery, StanzaError> {
  const form = parseQueryForm(query.getChild('x', NS.dataForms));
  if (!form.ok) return form;
  const rsm = parseRsm(query.getChild('set', NS.rsm));
  if (!rsm.ok) return rsm;
  const { value: filters } = form;
  const { value: paging } = rsm;
  const archive: ArchiveQuery = {
    with: filters.with,
    start: filters.start,
    end: filters.end,
    // RSM positions and the #extended id bounds narrow the same range: both apply.
    afterId: later(paging.after, filters.afterId),
    beforeId: earlier(typeof paging.before === 'string' ? paging.before : undefined, filters.beforeId),
    ids: filters.ids,
    limit: Math.min(paging.max ?? limits.defaultResults ?? DEFAULT_PAGE_SIZE, limits.maxResults),
    fromEnd: paging.before !== undefined,
  };
  const queryId: unknown = query.attrs.queryid;
  return ok({
    queryId: typeof queryId === 'string' ? queryId : undefined,
    archive,
    flipPage: query.getChild('flip-page') !== undefined,
  });
}
