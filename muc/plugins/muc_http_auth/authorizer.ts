/**
 * Asks the authorization service about one (user, room, nickname) triple (spec §1.5): a `GET`
 * with a total deadline, no redirects, `Accept: application/json` and the configured
 * `Authorization` value. Identical concurrent questions share one HTTP call; nothing is kept
 * once it is answered, so a revocation takes effect on the very next join.
 */
import type { OutboundHttp } from '../../../server/net/index.js';
import { requestUrlBuilder, type AuthorizationQuery } from './request-url.js';
import { verdictOf, type Verdict } from './verdict.js';

export interface AuthorizerSettings {
  /** The configured `muc_http_auth_url`, already validated. */
  readonly url: URL;
  readonly authorization: string | undefined;
  readonly timeoutMs: number;
  readonly insecure: boolean;
  /** `muc_http_auth_extended`: answers may grant a nickname, role and affiliation, and give a reason. */
  readonly extended: boolean;
}

export type Authorizer = (query: AuthorizationQuery) => Promise<Verdict>;

/** An authorizer over the server's outbound HTTP client. */
export function createAuthorizer(http: OutboundHttp, settings: AuthorizerSettings): Authorizer {
  const urlFor = requestUrlBuilder(settings.url);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (settings.authorization !== undefined) headers.Authorization = settings.authorization;
  // Keyed by user input, but bounded: an entry lives only while its request is in flight, and
  // every request ends by its deadline.
  const inFlight = new Map<string, Promise<Verdict>>();
  return (query) => {
    const key = JSON.stringify([query.userJid, query.mucJid, query.nickname]);
    const pending = inFlight.get(key);
    if (pending !== undefined) return pending;
    const asked = http.request({ url: urlFor(query), headers, timeoutMs: settings.timeoutMs, insecure: settings.insecure, purpose: 'muc_http_auth' })
      .then((result) => verdictOf(result, settings.extended))
      .finally(() => inFlight.delete(key));
    inFlight.set(key, asked);
    return asked;
  };
}
