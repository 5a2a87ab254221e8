/** Validation of a client's stream header (RFC 6120 §4.7, §4.9.3). Pure: returns an error value. */
import { StreamError } from '../errors/index.js';
import { NS, type StreamOpen } from '../xml/index.js';

export interface AcceptedHeader {
  /** The host the client asked for, normalised. */
  to: string;
  lang: string;
}

export interface HeaderRules {
  /** `stream` in the streams namespace over TCP; `open` in the framing namespace over WebSocket. */
  rootLocal: string;
  rootUri: string;
  /** The default namespace the root must declare (`jabber:client` over TCP; none over WebSocket). */
  contentNamespace: string | undefined;
  isServedHost(domain: string): boolean;
}

export const TCP_HEADER_RULES = { rootLocal: 'stream', rootUri: NS.stream, contentNamespace: NS.client } as const;
export const FRAMED_HEADER_RULES = { rootLocal: 'open', rootUri: NS.framing, contentNamespace: undefined } as const;

export function acceptStreamHeader(open: StreamOpen, rules: HeaderRules): AcceptedHeader | StreamError {
  // §4.9.3.10: wrong stream namespace or content namespace.
  if (open.local !== rules.rootLocal || open.uri !== rules.rootUri) return new StreamError('invalid-namespace');
  if (rules.contentNamespace !== undefined && open.attrs.xmlns !== rules.contentNamespace) return new StreamError('invalid-namespace');
  // §4.7.5: we speak 1.0; a missing version means a pre-1.0 peer, a higher major version is unknown.
  const version = open.attrs.version;
  if (version === undefined || !/^1\.\d+$/.test(version)) return new StreamError('unsupported-version');
  const to = (open.attrs.to ?? '').toLowerCase().replace(/\.$/, '');
  if (to === '' || !rules.isServedHost(to)) return new StreamError('host-unknown');
  return { to, lang: open.attrs['xml:lang'] ?? 'en' };
}
