/**
 * CORS for BOSH only (`cross_domain_bosh`, Prosody's mod_bosh headers): a page of another origin
 * may POST to `/http-bind` when the option allows that origin. Every other route of the listener
 * stays without CORS headers.
 */
import { isCrossDomainAllowed, type CrossDomain } from '../web-clients/cross-domain.js';

/** The CORS headers for a request from `origin`; empty when it is not allowed or not cross-origin. */
export function boshCorsHeaders(setting: CrossDomain, origin: string | undefined): Record<string, string> {
  if (origin === undefined || !isCrossDomainAllowed(setting, origin)) return {};
  return {
    // A listed origin is echoed (a response names one origin, RFC 6454 §7); `true` allows all.
    'Access-Control-Allow-Origin': setting.kind === 'any' ? '*' : origin,
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type',
    'Access-Control-Max-Age': '7200',
    ...(setting.kind === 'any' ? {} : { Vary: 'Origin' }),
  };
}
