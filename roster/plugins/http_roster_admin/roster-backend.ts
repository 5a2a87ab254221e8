/**
 * One roster fetch from the backend (spec §3.4): `GET` the expanded `http_roster_url` with the
 * Accept header of the original [COMPAT] and, when configured, an Authorization header [EXT].
 * Only a 200 with a roster document succeeds; every other outcome — status, network, deadline,
 * body — is a failure value, never a hang [IMPROVEMENT].
 */
import { err, ok, type Result } from '../../../server/errors/index.js';
import type { Logger } from '../../../server/log/index.js';
import type { OutboundHttp } from '../../../server/net/index.js';
import type { Roster } from '../../index.js';
import { rosterUrlOf, type HttpRosterAdminOptions } from './options.js';
import { parseRosterDocument } from './roster-document.js';
import { rosterUrlFor } from './url-template.js';

/** What the original sent [COMPAT]. */
const ACCEPT = 'application/json, text/plain, */*';

export type RosterFetch = (username: string) => Promise<Result<Roster, string>>;

/** A fetch function bound to the options; `username` is a normalised local part. */
export function createRosterFetch(options: HttpRosterAdminOptions, http: OutboundHttp, logger: Logger): RosterFetch {
  const headers: Record<string, string> = { Accept: ACCEPT };
  if (options.http_roster_authorization_header !== undefined) headers.Authorization = options.http_roster_authorization_header;
  const timeoutMs = Math.round(options.http_roster_timeout * 1000);
  return async (username) => {
    const url = rosterUrlFor(rosterUrlOf(options), username);
    if (url === undefined) return failed(logger, username, 'a username of dots would change the URL path; not fetched');
    const answer = await http.request({ url, headers, timeoutMs, purpose: 'http_roster_admin' });
    if (!answer.ok) return failed(logger, username, `${answer.reason}: ${answer.detail}`);
    // Only 200 counts [COMPAT]; a redirect is not followed (spec §0.4).
    if (answer.status !== 200) return failed(logger, username, `status ${answer.status}`);
    const document = parseRosterDocument(answer.body.toString('utf8'));
    if (!document.ok) return failed(logger, username, document.error);
    if (document.value.invalid.length > 0) {
      logger.warn({ username, contacts: document.value.invalid.slice(0, 10), count: document.value.invalid.length }, 'backend roster names contacts that are not JIDs; skipped');
    }
    return ok(document.value.roster);
  };
}

function failed(logger: Logger, username: string, reason: string): Result<Roster, string> {
  logger.warn({ username, reason }, 'roster fetch failed');
  return err(reason);
}
