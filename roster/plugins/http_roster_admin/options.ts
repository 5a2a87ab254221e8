/**
 * The options of `http_roster_admin` (spec §3.3), Prosody's names plus three [EXT] ones, and
 * the load-time rules of §3.8: fatal problems stop the server before it starts, the rest are
 * warnings logged when the module loads.
 */
import * as z from 'zod';
import { headerValueProblem, isLoopbackHost, parseHttpUrl } from '../../../server/net/index.js';
import { expandRosterUrl, hasUsernameToken } from './url-template.js';

/**
 * The spec's default (§3.3, the original's): kept for configs ported from Prosody, but never
 * silent — a host that relies on it gets a warning at start-up naming the URL it will use.
 */
export const DEFAULT_ROSTER_URL = 'http://localhost/%s';

export const httpRosterAdminOptionShape = {
  http_roster_url: z.string().optional()
    .describe(`URL of the backend's roster endpoint; %s is replaced by the URL-encoded username, %% by % (unset: ${DEFAULT_ROSTER_URL}, with a warning).`),
  http_roster_timeout: z.number().min(0.1).max(600).default(10)
    .describe('[Salon] Seconds one roster fetch may take in total (connect, send, whole answer).'),
  http_roster_authorization_header: z.string().optional()
    .describe('[Salon] Authorization header value sent to the backend with every roster fetch.'),
  http_roster_admin_authorization_header: z.string().optional()
    .describe('[Salon] Authorization header value the refresh endpoints require (open when unset).'),
};

export type HttpRosterAdminOptions = z.output<z.ZodObject<typeof httpRosterAdminOptionShape>>;

/** The URL template in use: the option, or the spec's default. */
export function rosterUrlOf(options: HttpRosterAdminOptions): string {
  return options.http_roster_url ?? DEFAULT_ROSTER_URL;
}

/** A username that exercises the template (letters only, so it encodes to itself). */
const SAMPLE_USERNAME = 'user';
function headerProblem(name: string, value: string | undefined): string | undefined {
  const problem = value === undefined ? undefined : headerValueProblem(value);
  return problem === undefined ? undefined : `option "${name}" ${problem}`;
}

/** §3.8 fatal rules: the message names the option. */
export function validateHttpRosterAdminOptions(options: HttpRosterAdminOptions): string | undefined {
  const sample = expandRosterUrl(rosterUrlOf(options), SAMPLE_USERNAME);
  if (parseHttpUrl(sample) === undefined) {
    return `option "http_roster_url": "${options.http_roster_url}" is not an absolute http:// or https:// URL (after replacing %s)`;
  }
  return headerProblem('http_roster_authorization_header', options.http_roster_authorization_header)
    ?? headerProblem('http_roster_admin_authorization_header', options.http_roster_admin_authorization_header);
}

/** What the host's HTTP side looks like, for the warnings. */
export interface EndpointExposure {
  /** The refresh endpoints are reachable on an interface that is not loopback. */
  readonly isPublic: boolean;
}

/** §3.8 warnings, as log messages. */
export function optionWarnings(options: HttpRosterAdminOptions, exposure: EndpointExposure): string[] {
  const warnings: string[] = [];
  if (options.http_roster_url === undefined) {
    warnings.push(`http_roster_url is not set: rosters are fetched from the default ${DEFAULT_ROSTER_URL}; set it to the backend's roster URL`);
  }
  if (!hasUsernameToken(rosterUrlOf(options))) {
    warnings.push('http_roster_url contains no %s: every user gets the same roster');
  }
  const url = parseHttpUrl(expandRosterUrl(rosterUrlOf(options), SAMPLE_USERNAME));
  if (url?.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    warnings.push('http_roster_url uses plain http:// to a host that is not loopback: rosters travel unencrypted');
  }
  if (options.http_roster_admin_authorization_header === undefined && exposure.isPublic) {
    warnings.push('the /roster_admin/refresh endpoints need no authorization and listen on a non-loopback interface; '
      + 'set http_roster_admin_authorization_header');
  }
  return warnings;
}
