/**
 * Prosody's `cross_domain_websocket` and `cross_domain_bosh`: `true` (the default, or a list
 * holding `"*"`) allows every origin, a list allows those origins, `false` none but the page's
 * own. Any origin by default, as Prosody, ejabberd and Openfire: both transports authenticate
 * with SASL inside the stream, never with cookies, so the origin check guards no credential. Origins are
 * compared in their serialised form (RFC 6454 §6.1: scheme, host, and port only when not the
 * scheme's default), so `https://Chat.Example:443` and `https://chat.example` are the same.
 */
import * as z from 'zod';
import { parseHttpUrl } from '../../server/net/index.js';

export type CrossDomain =
  | { readonly kind: 'any' }
  | { readonly kind: 'list'; readonly origins: ReadonlySet<string> }
  | { readonly kind: 'none' };

/** The option's schema: a boolean, one origin, or a list of origins. */
export const crossDomainOption = z.union([z.boolean(), z.string().min(1), z.array(z.string().min(1))]);

/** The serialised origin of `text`, or undefined when it is not an http(s) origin. */
export function normaliseOrigin(text: string): string | undefined {
  return parseHttpUrl(text)?.origin;
}

/** Reads the option; a string naming no origin is reported (the caller makes it a config error). */
export function readCrossDomain(value: z.output<typeof crossDomainOption>): { setting: CrossDomain } | { error: string } {
  if (value === true) return { setting: { kind: 'any' } };
  if (value === false) return { setting: { kind: 'none' } };
  const list = typeof value === 'string' ? [value] : value;
  if (list.includes('*')) return { setting: { kind: 'any' } };
  const origins = new Set<string>();
  for (const entry of list) {
    const origin = normaliseOrigin(entry);
    if (origin === undefined) return { error: `"${entry}" is not an origin such as "https://chat.example.org"` };
    origins.add(origin);
  }
  return { setting: { kind: 'list', origins } };
}

/** Same as `readCrossDomain`, for a value already validated. */
export function crossDomainOf(value: z.output<typeof crossDomainOption>): CrossDomain {
  const read = readCrossDomain(value);
  return 'setting' in read ? read.setting : { kind: 'none' };
}

/**
 * True when a page at `origin` is the server's own: same scheme, host and port as the request
 * (`hostHeader` over HTTPS when `secure`).
 */
export function isSameOrigin(origin: string, hostHeader: string | undefined, secure: boolean): boolean {
  if (hostHeader === undefined || hostHeader === '') return false;
  const own = normaliseOrigin(`${secure ? 'https' : 'http'}://${hostHeader}`);
  return own !== undefined && own === normaliseOrigin(origin);
}

/** True when the setting lets a page at `origin` (already known to be foreign) in. */
export function isCrossDomainAllowed(setting: CrossDomain, origin: string): boolean {
  if (setting.kind === 'any') return true;
  if (setting.kind === 'none') return false;
  const normalised = normaliseOrigin(origin);
  return normalised !== undefined && setting.origins.has(normalised);
}
