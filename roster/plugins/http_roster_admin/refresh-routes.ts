/**
 * The refresh endpoints (spec §3.7) on the plugin's host: `POST /roster_admin/refresh` with a
 * list of usernames, and `GET /roster_admin/refresh/<username>` for one. Both require the
 * configured Authorization value when `http_roster_admin_authorization_header` is set [EXT].
 */
import type { HttpRequest, HttpRequestHead, HttpResponse, HttpRoutes } from '../../../http/index.js';
import { constantTimeEqual } from '../../../server/crypto/index.js';
import type { HttpRosters } from './http-roster-service.js';
import {
  AUTH_FAILED, BAD_BODY, INVALID_USERNAME, REFRESH_BODY_LIMIT, REFRESH_CONCURRENCY, SINGLE_FAILED, SINGLE_OK,
  mapLimited, normaliseUsername, parseUsernameList, summarise,
} from './refresh-request.js';

/** The listener's own errors on these routes (413, 405, …) in the plugin's shape (spec §0.3). */
const errorBody = (message: string): unknown => ({ status: 'error', message });

/** Compares in constant time (DESIGN.md §5), the expected value's length included. */
function authorizer(expected: string | undefined): (request: HttpRequestHead) => boolean {
  if (expected === undefined) return () => true;
  return (request) => {
    const given = request.headers.authorization;
    // Two Authorization headers are no single value equal to the secret (RFC 9110 §5.3 forbids
    // repeating it); Node would otherwise keep only the first and let the second pass unseen.
    return given !== undefined && !request.repeatedHeaders.has('authorization') && constantTimeEqual(given, expected);
  };
}

/** RFC 7235 §3.1: a 401 names the scheme expected (the configured value's first word). */
function challenge(expected: string | undefined): Record<string, string> {
  const scheme = expected?.trim().split(/\s+/)[0] ?? 'Bearer';
  return { 'WWW-Authenticate': `${/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(scheme) ? scheme : 'Bearer'} realm="roster_admin"` };
}

/** Registers both routes; returns the disposers. */
export function registerRefreshRoutes(routes: HttpRoutes, rosters: HttpRosters, authorization: string | undefined): (() => void)[] {
  const isAuthorized = authorizer(authorization);
  const refused: HttpResponse = { status: 401, json: AUTH_FAILED, headers: challenge(authorization) };
  // Checked by the listener before the body is read and before the path is decoded: an
  // unauthorized client never gets a body buffered, nor learns how its path would be read.
  const authorize = (head: HttpRequestHead): HttpResponse | undefined => (isAuthorized(head) ? undefined : refused);
  return [
    routes.addRoute({
      method: 'POST', path: '/roster_admin/refresh', name: 'roster_admin', bodyLimit: REFRESH_BODY_LIMIT, errorBody, authorize,
      handler: (request) => refreshMany(rosters, request),
    }),
    routes.addRoute({
      // §3.7.2: a name whose escapes are not UTF-8 (`%FF`) is no username.
      method: 'GET', path: '/roster_admin/refresh/*', name: 'roster_admin', errorBody, authorize,
      malformedPath: { status: 400, json: INVALID_USERNAME },
      handler: (request) => refreshOne(rosters, request),
    }),
  ];
}

/** §3.7.1: each distinct user is refreshed once; every occurrence counts in the summary. */
async function refreshMany(rosters: HttpRosters, request: HttpRequest): Promise<HttpResponse> {
  const entries = parseUsernameList(request.body);
  if (entries === undefined) return { status: 400, json: BAD_BODY };
  const names = entries.map(normaliseUsername);
  const distinct = [...new Set(names.filter((name): name is string => name !== undefined))];
  const outcomes = await mapLimited(distinct, REFRESH_CONCURRENCY, (name) => rosters.refresh(name));
  const succeeded = new Map(distinct.map((name, index) => [name, outcomes[index] === true]));
  const updated = names.filter((name) => name !== undefined && succeeded.get(name) === true).length;
  return { status: 200, json: summarise(updated, names.length - updated) };
}

/** §3.7.2: the rest of the path, percent-decoded, is the username. */
async function refreshOne(rosters: HttpRosters, request: HttpRequest): Promise<HttpResponse> {
  const name = normaliseUsername(request.params);
  if (name === undefined) return { status: 400, json: INVALID_USERNAME };
  return { status: 200, json: (await rosters.refresh(name)) ? SINGLE_OK : SINGLE_FAILED };
}
