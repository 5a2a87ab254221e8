/**
 * XEP-0156 §3: the connection methods of a host as Web Host Metadata (RFC 6415), in XRD
 * (`/.well-known/host-meta`) and JSON (`/.well-known/host-meta.json`).
 */
import { escapeAttr } from '../../server/xml/index.js';

export const XRD_NS = 'http://docs.oasis-open.org/ns/xri/xrd-1.0';
export const WEBSOCKET_REL = 'urn:xmpp:alt-connections:websocket';
export const BOSH_REL = 'urn:xmpp:alt-connections:xbosh';

export interface AltConnection {
  readonly rel: string;
  readonly href: string;
}

export function hostMetaXrd(links: readonly AltConnection[]): string {
  const body = links.map((link) => `  <Link rel='${escapeAttr(link.rel)}' href='${escapeAttr(link.href)}'/>\n`).join('');
  return `<?xml version='1.0' encoding='utf-8'?>\n<XRD xmlns='${XRD_NS}'>\n${body}</XRD>\n`;
}

export function hostMetaJson(links: readonly AltConnection[]): { links: { rel: string; href: string }[] } {
  return { links: links.map((link) => ({ rel: link.rel, href: link.href })) };
}

/** The authority of a `Host` header when it is a plain host name or address with an optional port. */
const AUTHORITY = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/i;

/**
 * The links for a request: each endpoint under the authority the client used (its `Host`
 * header) with the request's own security, so a client reaches the endpoints the way it reached
 * the document. Undefined when the `Host` header is missing or is not a plain authority.
 */
export function connectionLinks(hostHeader: string | undefined, secure: boolean, paths: { websocket?: string; bosh?: string }): AltConnection[] | undefined {
  if (hostHeader === undefined || !AUTHORITY.test(hostHeader)) return undefined;
  const links: AltConnection[] = [];
  if (paths.websocket !== undefined) links.push({ rel: WEBSOCKET_REL, href: `${secure ? 'wss' : 'ws'}://${hostHeader}${paths.websocket}` });
  if (paths.bosh !== undefined) links.push({ rel: BOSH_REL, href: `${secure ? 'https' : 'http'}://${hostHeader}${paths.bosh}` });
  return links;
}
