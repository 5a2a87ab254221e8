/**
 * The refresh API's inputs and answers (spec §3.7), kept free of HTTP: the body of
 * `POST /roster_admin/refresh`, usernames normalised like local parts, and the summary.
 */
import { normaliseLocal } from '../../../server/jid/index.js';
import { parseJsonBody } from '../../../server/net/index.js';

/** At most this many backend fetches per refresh request [IMPROVEMENT]. */
export const REFRESH_CONCURRENCY = 8;
/** Largest refresh body (spec §0.3). */
export const REFRESH_BODY_LIMIT = 1024 * 1024;

/** A lone surrogate (in `u` mode a pair is one code point and never matches) or U+FFFD. */
const NOT_TEXT = /[\p{Cs}\ufffd]/u;

export const BAD_BODY = { status: 'error', message: 'Body must be a JSON array of usernames' } as const;
export const AUTH_FAILED = { status: 'error', message: 'Authorization failed' } as const;
export const INVALID_USERNAME = { status: 'error', message: 'Invalid username' } as const;
export const SINGLE_OK = { status: 'ok', message: 'roster update complete' } as const;
export const SINGLE_FAILED = { status: 'error', message: 'roster update failed' } as const;

/**
 * The usernames of a refresh body: a JSON array of strings, whatever the Content-Type [COMPAT];
 * undefined for anything else (empty, not JSON, `null`, `false`, an object, a string, an array
 * holding a non-string).
 */
export function parseUsernameList(body: Buffer): string[] | undefined {
  const parsed = parseJsonBody(body);
  if (!parsed.ok) return undefined;
  const value = parsed.value;
  if (!Array.isArray(value) || !value.every((entry): entry is string => typeof entry === 'string')) return undefined;
  return value;
}

/**
 * An entry as a local part (`"John"` is `john`); undefined when it cannot be one — empty, with
 * `@`, `/`, a NUL, a lone surrogate, bytes that were not UTF-8, or anything else the localpart
 * profile forbids [IMPROVEMENT].
 */
export function normaliseUsername(entry: string): string | undefined {
  // A lone surrogate (`"\ud800"` in JSON) is no Unicode text, and U+FFFD is what invalid UTF-8
  // in the body decodes to: neither can name an account (RFC 7622 §3.3, PRECIS IdentifierClass).
  if (NOT_TEXT.test(entry)) return undefined;
  const local = normaliseLocal(entry);
  return local === undefined || local === '' ? undefined : local;
}

export interface RefreshSummary {
  readonly status: 'ok' | 'error';
  readonly message: string;
  readonly updated: number;
  readonly errors: number;
}

/** The summary of a batch: `error` only when everything failed [IMPROVEMENT, as the README says]. */
export function summarise(updated: number, errors: number): RefreshSummary {
  if (errors > 0 && updated === 0) return { status: 'error', message: 'roster update failed', updated, errors };
  return { status: 'ok', message: 'roster update complete', updated, errors };
}

/** Runs `task` over `items`, no more than `limit` at a time; results in input order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
