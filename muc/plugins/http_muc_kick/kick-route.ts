/**
 * `POST /muc_kick` (spec §2.4), checked in the contract's order: method (the listener answers
 * 405), `Authorization` and the failure limit before any of the body is read, body size, JSON,
 * fields, room, nickname; then the service-level kick (XEP-0045 §8.2 with the service as actor)
 * and an audit line. Every refusal is `{"error": …}`; a kick answers 200 with an empty body.
 */
import type { HttpRequest, HttpRequestHead, HttpResponse, RouteSpec } from '../../../http/index.js';
import { constantTimeEqual } from '../../../server/crypto/index.js';
import type { Logger } from '../../../server/log/index.js';
import type { FailureLimiter } from './failure-limiter.js';
import { parseKickBody } from './kick-body.js';
import { findKickTarget, type MucDirectory } from './kick-target.js';

/** Spec §0.3: `/muc_kick` bodies over 64 KiB are refused. */
export const KICK_BODY_LIMIT = 64 * 1024;
/**
 * What the listener reads at most (only once the request is authorized). The 64 KiB rule is
 * applied by the handler with the contract's message; beyond this the listener refuses unread.
 */
export const KICK_READ_LIMIT = 4 * KICK_BODY_LIMIT;

const AUTHORIZATION_FAILED = 'Authorization failed';
const TOO_MANY_REQUESTS = 'Too many requests';
const TOO_LARGE = 'Request body too large';
const NICK_NOT_FOUND = "Couldn't kick user: modify: item-not-found";

const refuse = (status: number, message: string): HttpResponse => ({ status, json: { error: message } });

/** Byte-for-byte equality in constant time (DESIGN.md §5): the secret's length does not leak either. */
export function headerMatcher(expected: string): (given: string | undefined) => boolean {
  return (given) => given !== undefined && constantTimeEqual(given, expected);
}

export interface KickRouteSettings {
  readonly authorization: string;
  readonly directory: MucDirectory;
  readonly limiter: FailureLimiter;
  readonly logger: Logger;
}

function kick(settings: KickRouteSettings, request: HttpRequest): HttpResponse {
  if (request.body.length > KICK_BODY_LIMIT) return refuse(413, TOO_LARGE);
  const body = parseKickBody(request.body);
  if (!body.ok) return refuse(400, body.error);
  const target = findKickTarget(settings.directory, body.value.muc);
  if (!target.ok) return refuse(target.error.status, target.error.message);
  const { service, room } = target.value;
  const { nickname, reason } = body.value;
  const kicked = service.kick(room, nickname, reason === undefined ? {} : { reason });
  // Room gone between lookup and kick cannot happen (no await in between); both mean "no such occupant".
  if (!kicked.ok) return refuse(400, NICK_NOT_FOUND);
  settings.logger.info({ ip: request.remoteAddress, room: room.toString(), nick: nickname, reason: reason ?? '' }, 'occupant kicked over HTTP');
  return { status: 200 };
}

/** True when the request carries exactly one `Authorization` header equal to the secret. */
function authorizedBy(matches: (given: string | undefined) => boolean, head: HttpRequestHead): boolean {
  // Two Authorization headers are no single value equal to the secret (RFC 9110 §5.3 forbids
  // repeating it); Node would otherwise keep only the first and let the second pass unseen.
  return !head.repeatedHeaders.has('authorization') && matches(head.headers.authorization);
}

/**
 * The check the listener makes before reading any of the body (spec §2.4 row 2 and its 429
 * rule). The header is compared first, in constant time, so the right secret always passes, even
 * from an address blocked by failures: an attacker sharing the backend's address (a NAT, a
 * proxy) must not keep the real backend at 429. Only wrong or missing headers are counted, and
 * answered 429 once their address has used up its failures.
 */
export function kickAuthorizer(settings: KickRouteSettings): (head: HttpRequestHead) => HttpResponse | undefined {
  const matches = headerMatcher(settings.authorization);
  return (head) => {
    if (authorizedBy(matches, head)) return undefined;
    const address = head.clientAddress;
    if (settings.limiter.isBlocked(address)) return refuse(429, TOO_MANY_REQUESTS);
    settings.limiter.recordFailure(address);
    settings.logger.info({ ip: address }, 'refused /muc_kick request: wrong or missing Authorization');
    return refuse(401, AUTHORIZATION_FAILED);
  };
}

/** The route's handler, reached only through `kickAuthorizer` (which it repeats, uncounted). */
export function kickHandler(settings: KickRouteSettings): (request: HttpRequest) => Promise<HttpResponse> {
  const matches = headerMatcher(settings.authorization);
  return (request) => Promise.resolve(authorizedBy(matches, request) ? kick(settings, request) : refuse(401, AUTHORIZATION_FAILED));
}

/** The route as the listener registers it. */
export function kickRoute(settings: KickRouteSettings): RouteSpec {
  return {
    method: 'POST', path: '/muc_kick', name: 'muc_kick', bodyLimit: KICK_READ_LIMIT,
    authorize: kickAuthorizer(settings), handler: kickHandler(settings),
  };
}
