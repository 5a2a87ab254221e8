/**
 * The options of `muc_http_auth` (spec §1.2) under Prosody's names, plus the [EXT] timeout, and
 * the load-time rules of §1.7: fatal problems stop the server before it starts (failing closed —
 * a plugin that silently did not load would leave every room open), the rest are warnings.
 */
import * as z from 'zod';
import { headerValueProblem, isLoopbackHost, parseHttpUrl } from '../../../server/net/index.js';
import { parseRoomSelection } from './room-selection.js';

/** A list of room names, or a map from user domains (or `all`) to lists of room names (§1.3). */
const roomListOrHostMap = z.union([z.array(z.string()), z.record(z.string(), z.array(z.string()))]);

export const mucHttpAuthOptionShape = {
  muc_http_auth_url: z.string().default('')
    .describe('Absolute http(s) URL of the external authorization endpoint; userJID, mucJID and nickname are appended as query parameters.'),
  muc_http_auth_enabled_for: roomListOrHostMap.optional()
    .describe('Only these rooms (node part) are checked: a list, or a map from user domain (or "all") to a list.'),
  muc_http_auth_disabled_for: roomListOrHostMap.optional()
    .describe('Every room except these (node part) is checked: a list, or a map from user domain (or "all") to a list.'),
  muc_http_auth_insecure: z.boolean().default(false)
    .describe('Switch off TLS certificate verification of the authorization URL (development only).'),
  muc_http_auth_authorization_header: z.string().optional()
    .describe('Authorization header value sent verbatim with every authorization request.'),
  muc_http_auth_authorize_registration: z.boolean().default(false)
    .describe('Also authorize jabber:iq:register requests to rooms (nickname from muc#register_roomnick).'),
  muc_http_auth_timeout: z.number().positive().max(3600).default(10)
    .describe('[Salon] Seconds one authorization request may take in total before the join is refused.'),
  muc_http_auth_extended: z.boolean().default(false)
    .describe('[Salon] Read extended answers: an allow may set the nick, role and affiliation the user enters with; a refusal may give a "reason" shown to the user.'),
};

export type MucHttpAuthOptions = z.output<z.ZodObject<typeof mucHttpAuthOptionShape>>;

/** §1.7 fatal rules; the message names the option. */
export function validateMucHttpAuthOptions(options: MucHttpAuthOptions): string | undefined {
  const url = options.muc_http_auth_url;
  if (url === '') return 'option "muc_http_auth_url" is not set: give the absolute http(s) URL of the authorization service';
  if (parseHttpUrl(url) === undefined) return `option "muc_http_auth_url": ${JSON.stringify(url)} is not an absolute http:// or https:// URL`;
  const header = options.muc_http_auth_authorization_header;
  const headerProblem = header === undefined ? undefined : headerValueProblem(header);
  if (headerProblem !== undefined) return `option "muc_http_auth_authorization_header" ${headerProblem}`;
  const selection = parseRoomSelection(options.muc_http_auth_enabled_for, options.muc_http_auth_disabled_for);
  return selection.ok ? undefined : selection.error;
}

/**
 * §1.7 warnings, as log messages. `hookDeadline` is the MUC service's `muc_hook_deadline` in
 * seconds (undefined while no MUC service is known): a request allowed to outlast it would be cut
 * by the engine with a generic error.
 */
export function mucHttpAuthWarnings(options: MucHttpAuthOptions, hookDeadline: number | undefined): string[] {
  const warnings: string[] = [];
  if (options.muc_http_auth_enabled_for !== undefined && options.muc_http_auth_disabled_for !== undefined) {
    warnings.push('both muc_http_auth_enabled_for and muc_http_auth_disabled_for are set: '
      + 'muc_http_auth_enabled_for applies and muc_http_auth_disabled_for is ignored');
  }
  if (options.muc_http_auth_insecure) warnings.push('TLS verification disabled for the MUC authorization service (muc_http_auth_insecure)');
  const url = parseHttpUrl(options.muc_http_auth_url);
  if (options.muc_http_auth_authorization_header !== undefined && url?.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    warnings.push('muc_http_auth_authorization_header is sent over plain http:// to a host that is not loopback: the credentials travel unencrypted');
  }
  if (hookDeadline !== undefined && options.muc_http_auth_timeout >= hookDeadline) {
    warnings.push(`muc_http_auth_timeout (${options.muc_http_auth_timeout} s) is not below muc_hook_deadline (${hookDeadline} s): `
      + 'a slow authorization service makes joins fail with internal-server-error instead of not-authorized');
  }
  return warnings;
}
