/**
 * The URL of one authorization request (spec §1.5): the configured URL, its fragment dropped,
 * followed by `userJID`, `mucJID` and `nickname` in that order — after `?`, or after `&` when the
 * URL already has a query (the original appended `?` blindly, breaking such URLs).
 */
import { percentEncode } from '../../../server/net/index.js';

/** The three values the authorization service decides on. */
export interface AuthorizationQuery {
  /** The joining user's normalised bare JID. */
  readonly userJid: string;
  /** The room's bare JID. */
  readonly mucJid: string;
  /** The nickname after the MUC's preparation (empty for a registration get). */
  readonly nickname: string;
}

/** Prepares the configured URL once; the result builds each request's URL. */
export function requestUrlBuilder(configured: URL): (query: AuthorizationQuery) => string {
  const base = new URL(configured.href);
  base.hash = '';
  const href = base.href;
  // `http://h/p?` has an empty `search` but keeps its `?`; `?a=1&` needs no second `&`.
  const separator = base.search.length > 1 ? (href.endsWith('&') ? '' : '&') : (href.endsWith('?') ? '' : '?');
  const prefix = `${href}${separator}`;
  return (query) => `${prefix}userJID=${percentEncode(query.userJid)}&mucJID=${percentEncode(query.mucJid)}&nickname=${percentEncode(query.nickname)}`;
}
